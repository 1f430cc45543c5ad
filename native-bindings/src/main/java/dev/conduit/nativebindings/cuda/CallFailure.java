package dev.conduit.nativebindings.cuda;

import dev.conduit.core.ConduitException;
import dev.conduit.nativebindings.NativeException;

/**
 * A failed native call, kept as data for reports (doctor) rather than thrown.
 *
 * @param call        the call, e.g. {@code cudaGetDeviceCount} or {@code dlopen(libcuda.so.1)}.
 * @param code        the native code (CUresult, cudaError_t, CUfileOpError); 0 when there is none.
 * @param name        its symbolic name, e.g. {@code cudaErrorInsufficientDriver}.
 * @param description human-readable detail.
 */
public record CallFailure(String call, int code, String name, String description)
{
    /**
     * @param e a failure thrown by the bindings.
     * @return the same facts as data.
     */
    public static CallFailure of(final ConduitException e)
    {
        if (e instanceof NativeException n)
        {
            return new CallFailure(n.operation(), n.nativeCode(), n.nativeName(), n.detail());
        }
        return new CallFailure(e.nativeName(), 0, e.nativeName(), e.getMessage());
    }

    /** @return {@code name (code): description}, the way reports print it. */
    public String summary()
    {
        return name + " (" + code + ")" + (description.isEmpty() ? "" : ": " + description);
    }
}
