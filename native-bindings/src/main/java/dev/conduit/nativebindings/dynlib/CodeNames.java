package dev.conduit.nativebindings.dynlib;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A vendor library's error codes and their C names, in both directions: {@code CUresult},
 * {@code cudaError_t} and {@code CUfileOpError} all need a fallback name for codes the library
 * itself cannot name, and a name for codes newer than the table that never throws.
 *
 * <p>Threading: immutable; any thread.
 */
public final class CodeNames
{
    private final Map<String, Integer> byName;
    private final Map<Integer, String> byCode;
    private final String unknownPrefix;

    /**
     * @param byName        C name to code, in header order; copied.
     * @param unknownPrefix prefix of the name made up for an unknown code, e.g. {@code CURESULT_}.
     */
    public CodeNames(final Map<String, Integer> byName, final String unknownPrefix)
    {
        final Map<String, Integer> names = new LinkedHashMap<>(byName);
        final Map<Integer, String> codes = new LinkedHashMap<>();
        names.forEach((name, code) -> codes.put(code, name));
        this.byName = Collections.unmodifiableMap(names);
        this.byCode = Collections.unmodifiableMap(codes);
        this.unknownPrefix = unknownPrefix;
    }

    /** @return every name the table knows, mapped to its code, in header order. */
    public Map<String, Integer> known()
    {
        return byName;
    }

    /**
     * @param code a code.
     * @return its C name, or the prefix followed by the code when the table does not know it.
     */
    public String name(final int code)
    {
        final String name = byCode.get(code);
        return name != null ? name : unknownPrefix + code;
    }

    /**
     * @param code a code.
     * @return whether the table knows it.
     */
    public boolean isKnown(final int code)
    {
        return byCode.containsKey(code);
    }
}
