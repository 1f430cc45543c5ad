package dev.conduit.cli.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.nativebindings.spdk.SpdkEnvOptions;
import dev.conduit.nativebindings.spdk.SpdkLibrary;

/**
 * SPDK: the library and its release, the environment Conduit would initialise for NVMe over fabrics
 * and for PCIe, and for each whether it can, or why not. Never initialises SPDK (DPDK cannot be
 * initialised twice in a process, and doctor only looks).
 */
final class SpdkProbe
{
    private static final List<String> REQUIRED = List.of("spdk_env_init", "spdk_nvme_connect", "spdk_nvme_qpair_process_completions");

    private SpdkProbe()
    {
    }

    static ObjectNode report()
    {
        final ObjectNode spdk = JsonNodeFactory.instance.objectNode();
        final Optional<SpdkLibrary> library = SpdkLibrary.load();
        spdk.put("library", library.map(SpdkLibrary::name).orElse(null));
        spdk.put("present", library.isPresent());
        spdk.put("version", library.flatMap(SpdkLibrary::version).orElse(null));
        final String missing = library.map(SpdkProbe::missingSymbols).orElse(null);
        final String libraryProblem = library.isEmpty()
            ? "SPDK is not installed: no libspdk_nvme.so loads (" + SpdkLibrary.loadFailure()
                + "); set lib.spdk (CONDUIT_SPDK_LIB) to an SPDK build's build/lib/libspdk_nvme.so, with that directory on LD_LIBRARY_PATH"
            : missing;
        spdk.set("fabrics", environment(SpdkEnvOptions.fabricsDefaults(), libraryProblem));
        spdk.set("pcie", environment(SpdkEnvOptions.pcieDefaults(), libraryProblem != null ? libraryProblem : pcieProblem()));
        return spdk;
    }

    private static ObjectNode environment(final SpdkEnvOptions options, final String problem)
    {
        final ObjectNode env = JsonNodeFactory.instance.objectNode();
        env.put("environment", options.toString());
        env.put("can_initialise", problem == null);
        env.put("why_not", problem);
        return env;
    }

    private static String missingSymbols(final SpdkLibrary library)
    {
        final List<String> absent = REQUIRED.stream().filter(s -> !library.exports(s)).toList();
        return absent.isEmpty() ? null : library.name() + " lacks " + String.join(", ", absent);
    }

    /** PCIe needs the vfio driver and reserved hugepages; fabrics need neither. */
    private static String pcieProblem()
    {
        if (!Files.exists(Path.of("/dev/vfio/vfio")))
        {
            return "no /dev/vfio/vfio: load vfio-pci and bind the NVMe device to it (SPDK's scripts/setup.sh)";
        }
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/meminfo")))
            {
                if (line.startsWith("HugePages_Total:") && Long.parseLong(line.substring(16).trim()) == 0)
                {
                    return "no hugepages reserved (HugePages_Total: 0): reserve some, e.g. vm.nr_hugepages=1024";
                }
            }
        }
        catch (final IOException | NumberFormatException e)
        {
            return "cannot read /proc/meminfo: " + e.getMessage();
        }
        return null;
    }
}
