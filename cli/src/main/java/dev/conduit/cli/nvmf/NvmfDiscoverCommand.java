package dev.conduit.cli.nvmf;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;

import dev.conduit.cli.ExitCodes;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.initiator.Discovery;
import dev.conduit.nvmeof.initiator.HostQueue;
import dev.conduit.nvmeof.initiator.NvmfUri;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conduit nvmf discover nvmf://HOST[:PORT]}: reads the Discovery log page (0x70) of an NVMe/TCP
 * discovery controller (Conduit's, the kernel's nvmet, SPDK's) and prints one line per entry:
 * {@code nvmf://TRADDR:TRSVCID/NQN subtype=... transport=... family=... portid=...}; append
 * {@code /NSID} to the first word for a namespace spec ({@code conduit format --namespace}).
 */
@Command(name = "discover",
    description = "List the subsystems an NVMe/TCP discovery controller offers this host (Discovery log page 0x70).")
public final class NvmfDiscoverCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "nvmf://HOST[:PORT]", description = "the discovery controller (port 4420 when absent)")
    private String target;

    @Option(names = "--host-nqn", paramLabel = "NQN", defaultValue = NvmfCheckCommand.DEFAULT_HOST_NQN,
        description = "the host NQN sent in Connect (default ${DEFAULT-VALUE})")
    private String hostNqn;

    @Override
    public Integer call()
    {
        final NvmfUri uri = NvmfUri.parse(withoutTrailingSlash(target) + "/" + Discovery.DISCOVERY_NQN + "/1");
        final List<Discovery.Entry> entries = Discovery.discover(new InetSocketAddress(uri.host(), uri.port()), HostQueue.Options.of(hostNqn));
        final PrintWriter out = spec.commandLine().getOut();
        for (final Discovery.Entry e : entries)
        {
            out.println(e.uri() + " subtype=" + e.subtype() + " transport=" + e.transport() + " family=" + e.family() + " portid=" + e.portId());
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String withoutTrailingSlash(final String text)
    {
        final String trimmed = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        if (trimmed.substring(Math.min(trimmed.length(), NvmfUri.SCHEME.length())).contains("/"))
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "discover takes nvmf://HOST[:PORT] without an NQN: " + text);
        }
        return trimmed;
    }
}
