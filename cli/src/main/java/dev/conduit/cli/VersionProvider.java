package dev.conduit.cli;

import picocli.CommandLine;

/** Supplies {@code conduit --version} from the jar manifest, or "development" when run from classes. */
public final class VersionProvider implements CommandLine.IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        final String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"conduit " + (v != null ? v : "development") + " (JDK " + Runtime.version() + ")"};
    }
}
