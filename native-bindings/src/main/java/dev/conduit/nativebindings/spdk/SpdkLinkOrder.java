package dev.conduit.nativebindings.spdk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The libraries an SPDK application links, in load order (dependencies first), read from the
 * pkg-config files SPDK installs beside its libraries ({@code pkgconfig/spdk_*.pc}). SPDK's shared
 * libraries do not record all their dependencies (the environment, DPDK, libcrypto are left to the
 * application's link line), so opening {@code libspdk_nvme.so} alone fails; opening what its
 * pkg-config names, in this order, with {@code RTLD_GLOBAL}, is what linking an SPDK program does.
 *
 * <p>Threading: stateless.
 */
final class SpdkLinkOrder
{
    /** What a polled NVMe client needs: the driver, the DPDK environment, the posix sockets, SPDK's system libraries. */
    static final List<String> ROOTS = List.of("spdk_syslibs", "spdk_env_dpdk", "spdk_sock_posix", "spdk_nvme");

    private SpdkLinkOrder()
    {
    }

    /**
     * @param libDir the directory of {@code libspdk_nvme.so}.
     * @return library names without {@code lib} and {@code .so} ({@code rte_eal}, {@code spdk_util}, ...),
     *         dependencies first; empty when there is no {@code pkgconfig} directory.
     */
    static List<String> libraries(final Path libDir)
    {
        final Path pc = libDir.resolve("pkgconfig");
        if (!Files.isDirectory(pc))
        {
            return List.of();
        }
        final Set<String> order = new LinkedHashSet<>();
        final Set<String> visited = new LinkedHashSet<>();
        for (final String root : ROOTS)
        {
            visit(pc, root, visited, order);
        }
        return new ArrayList<>(order);
    }

    private static void visit(final Path pc, final String module, final Set<String> visited, final Set<String> order)
    {
        if (!visited.add(module))
        {
            return;
        }
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(pc.resolve(module + ".pc"));
        }
        catch (final IOException absent)
        {
            return; // a module outside SPDK's pkgconfig directory (none are required today)
        }
        for (final String line : lines)
        {
            if (line.startsWith("Requires:"))
            {
                for (final String dep : line.substring("Requires:".length()).trim().split("[\\s,]+"))
                {
                    if (!dep.isEmpty())
                    {
                        visit(pc, dep, visited, order);
                    }
                }
            }
        }
        for (final String line : lines)
        {
            if (line.startsWith("Libs:") || line.startsWith("Libs.private:"))
            {
                for (final String word : line.substring(line.indexOf(':') + 1).trim().split("\\s+"))
                {
                    if (word.startsWith("-l") && word.length() > 2)
                    {
                        order.add(word.substring(2));
                    }
                }
            }
        }
    }
}
