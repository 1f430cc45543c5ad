package dev.conduit.nativebindings.cufile;

/**
 * {@code CUFileStringConfigParameter_t}: string settings for {@code cuFileGet/SetParameterString}.
 * The C value is the ordinal.
 */
public enum CuFileStringParameter
{
    /** Log level, e.g. {@code ERROR}, {@code INFO}, {@code TRACE}. */
    LOGGING_LEVEL,
    /** Log file path. */
    ENV_LOGFILE_PATH,
    /** Log directory. */
    LOG_DIR;

    /** @return the C value. */
    public int value()
    {
        return ordinal();
    }

    /** @return the C enumerator name, e.g. {@code CUFILE_PARAM_LOGGING_LEVEL}. */
    public String cName()
    {
        return "CUFILE_PARAM_" + name();
    }
}
