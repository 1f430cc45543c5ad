package dev.conduit.nativebindings;

/**
 * Facts about the platform the bindings were written for: Linux on x86_64 or aarch64, where
 * struct layouts and a few flag values differ.
 */
public final class Platform
{
    private static final String ARCH = System.getProperty("os.arch", "");

    private Platform()
    {
    }

    /** @return true on 64-bit ARM. */
    public static boolean isAarch64()
    {
        return "aarch64".equals(ARCH);
    }

    /** @return true on x86_64. */
    public static boolean isX86_64()
    {
        return "amd64".equals(ARCH) || "x86_64".equals(ARCH);
    }

    /** @return true on Linux. */
    public static boolean isLinux()
    {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    }

    /** @return the running kernel release, e.g. {@code 6.1.0-18-amd64}. */
    public static String kernelRelease()
    {
        return System.getProperty("os.version", "unknown");
    }
}
