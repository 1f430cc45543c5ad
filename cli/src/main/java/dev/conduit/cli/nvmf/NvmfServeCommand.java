package dev.conduit.cli.nvmf;

import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.CRC32C;

import dev.conduit.blocklayout.namespace.BlockDeviceNamespace;
import dev.conduit.blocklayout.namespace.FileNamespace;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.cli.ExitCodes;
import dev.conduit.cli.serve.StopSignal;
import dev.conduit.cli.store.SizeConverter;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.command.Nqn;
import dev.conduit.nvmeof.target.NvmfTarget;
import dev.conduit.nvmeof.target.NvmfTargetConfig;
import dev.conduit.nvmeof.target.Subsystem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code conduit nvmf serve}: exports namespaces (files, block devices or RAM) as one NVM subsystem
 * over NVMe/TCP, with the discovery subsystem beside it, in the foreground. Prints exactly one line
 * to stdout, {@code listening on ADDR:PORT}, once connections are accepted (scripts wait for it);
 * everything else goes to stderr. Stops on SIGINT/SIGTERM: closes every connection, then the
 * namespaces, and exits 0.
 */
@Command(name = "serve",
    description = "Serve namespaces as an NVMe/TCP subsystem until SIGINT/SIGTERM (docs/NVMF.md).")
public final class NvmfServeCommand implements Callable<Integer>
{
    private static final String RAM_PREFIX = "ram:";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--nqn", required = true, paramLabel = "NQN", description = "the subsystem NQN (nqn.YYYY-MM.reverse.domain:name)")
    private String nqn;

    @Option(names = "--namespace", required = true, paramLabel = "FILE|DEVICE|ram:SIZE",
        description = "a namespace, NSID 1 first (repeatable): an existing file (size a multiple of 4 KiB), a block device, or RAM")
    private List<String> namespaceSpecs;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "4420", description = "TCP port (default 4420; 0 picks a free one)")
    private int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "address to listen on (default 127.0.0.1)")
    private String bind;

    @Option(names = "--allow-host", paramLabel = "HOSTNQN", description = "a host NQN allowed to connect (repeatable)")
    private List<String> allowedHosts = new ArrayList<>();

    @Option(names = "--allow-any-host", description = "let any host connect (explicit opt-in; not with --allow-host)")
    private boolean allowAnyHost;

    @Override
    public Integer call() throws Exception
    {
        if (allowAnyHost && !allowedHosts.isEmpty())
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--allow-host and --allow-any-host exclude each other");
        }
        for (final String name : allowedHosts)
        {
            final String problem = Nqn.problem(name);
            if (problem != null)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--allow-host " + name + " is not a host NQN: " + problem
                    + " (the NQN a host sends, e.g. /etc/nvme/hostnqn)");
            }
        }
        final String nqnProblem = Nqn.problem(nqn);
        if (nqnProblem != null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--nqn " + nqn + " is not an NQN: " + nqnProblem);
        }
        if (!allowAnyHost && allowedHosts.isEmpty())
        {
            err().println("conduit nvmf serve: no --allow-host and no --allow-any-host: every host will be refused at Connect");
            err().flush();
        }
        final StopSignal stopSignal = StopSignal.install(err());
        final List<Namespace> namespaces = new ArrayList<>();
        try
        {
            for (final String namespaceSpec : namespaceSpecs)
            {
                namespaces.add(open(namespaceSpec, namespaces.size() + 1));
            }
            final Subsystem subsystem = new Subsystem(nqn, namespaces, new HashSet<>(allowedHosts), allowAnyHost, serial(nqn));
            final NvmfTarget target;
            try
            {
                target = NvmfTarget.start(NvmfTargetConfig.defaults(bind, port), List.of(subsystem));
            }
            catch (final ConduitException e)
            {
                if (e.code() == ErrorCode.ADDRESS_IN_USE)
                {
                    err().println("conduit nvmf serve: " + bind + " port " + port + " is in use; choose another with --port");
                    err().flush();
                    return ExitCodes.ADDRESS_IN_USE;
                }
                throw e;
            }
            try (target)
            {
                final PrintWriter out = spec.commandLine().getOut();
                out.println("listening on " + render(target.localAddress()));
                out.flush();
                final String signal = stopSignal.await();
                err().println("conduit nvmf serve: SIG" + signal + ", closing connections");
                err().flush();
            }
            return ExitCodes.OK;
        }
        finally
        {
            for (final Namespace namespace : namespaces)
            {
                namespace.close();
            }
        }
    }

    private Namespace open(final String namespaceSpec, final int nsid)
    {
        if (namespaceSpec.startsWith(RAM_PREFIX))
        {
            final long sizeBytes = SizeConverter.parse(namespaceSpec.substring(RAM_PREFIX.length()));
            if (sizeBytes <= 0 || sizeBytes % 4096 != 0)
            {
                throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "--namespace " + namespaceSpec + ": the size must be a positive multiple of 4 KiB");
            }
            return MemoryNamespace.allocate("nvmf-ns" + nsid, sizeBytes);
        }
        final Path path = Path.of(namespaceSpec);
        return namespaceSpec.startsWith("/dev/") ? BlockDeviceNamespace.open(path) : FileNamespace.open(path);
    }

    /** A serial number that stays the same for the same NQN: hosts key multipath identity on it. */
    private static String serial(final String nqn)
    {
        final CRC32C crc = new CRC32C();
        crc.update(nqn.getBytes(StandardCharsets.UTF_8));
        return "CNDT" + String.format("%08X", crc.getValue());
    }

    private static String render(final InetSocketAddress address)
    {
        final String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private PrintWriter err()
    {
        return spec.commandLine().getErr();
    }
}
