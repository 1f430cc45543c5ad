package dev.conduit.cli.nvmf;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code conduit nvmf}: NVMe over TCP; its subcommands serve namespaces to NVMe/TCP hosts, check remote ones and list what a discovery controller offers. */
@Command(name = "nvmf",
    description = "NVMe over TCP (docs/NVMF.md).",
    subcommands = {NvmfServeCommand.class, NvmfCheckCommand.class, NvmfDiscoverCommand.class, CommandLine.HelpCommand.class})
public final class NvmfCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: conduit nvmf serve|check|discover ...");
    }
}
