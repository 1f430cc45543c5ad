package dev.conduit.cli.doctor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.config.Settings;
import dev.conduit.nativebindings.NativeLibraries;

/** SPDK's NVMe driver library: present or not. */
final class SpdkProbe
{
    private SpdkProbe()
    {
    }

    static ObjectNode report()
    {
        final ObjectNode spdk = JsonNodeFactory.instance.objectNode();
        final String lib = NativeLibraries.probe(NativeLibraries.candidates(Settings.LIB_SPDK.envName(), "libspdk_nvme.so"))
            .orElse(null);
        spdk.put("library", lib);
        spdk.put("present", lib != null);
        return spdk;
    }
}
