package dev.conduit.cli.doctor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.nativebindings.AlignedMemory;
import dev.conduit.nativebindings.Platform;

/** Kernel release, architecture and page size. */
final class KernelProbe
{
    private KernelProbe()
    {
    }

    static ObjectNode report()
    {
        final ObjectNode kernel = JsonNodeFactory.instance.objectNode();
        kernel.put("release", Platform.kernelRelease());
        kernel.put("os", System.getProperty("os.name"));
        kernel.put("arch", System.getProperty("os.arch"));
        kernel.put("page_size", AlignedMemory.pageSize());
        kernel.put("cpus", Runtime.getRuntime().availableProcessors());
        return kernel;
    }
}
