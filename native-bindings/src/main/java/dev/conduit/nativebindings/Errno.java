package dev.conduit.nativebindings;

import dev.conduit.core.ErrorCode;

/**
 * Linux errno numbers and their symbolic names (x86_64 and aarch64 share the generic table).
 *
 * <p>Used to turn a raw {@code errno} or a negative io_uring CQE result into a name such as
 * {@code EINVAL}; unknown numbers are rendered as {@code ERRNO_<n>} rather than failing.
 */
public final class Errno
{
    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** I/O error. */
    public static final int EIO = 5;
    /** Bad file descriptor. */
    public static final int EBADF = 9;
    /** Try again. */
    public static final int EAGAIN = 11;
    /** Out of memory. */
    public static final int ENOMEM = 12;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Device or resource busy. */
    public static final int EBUSY = 16;
    /** File exists. */
    public static final int EEXIST = 17;
    /** Not a directory. */
    public static final int ENOTDIR = 20;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Inappropriate ioctl for device. */
    public static final int ENOTTY = 25;
    /** No space left on device. */
    public static final int ENOSPC = 28;
    /** Function not implemented. */
    public static final int ENOSYS = 38;
    /** Operation not supported. */
    public static final int EOPNOTSUPP = 95;
    /** Operation canceled. */
    public static final int ECANCELED = 125;
    /** Timer expired (io_uring timeouts). */
    public static final int ETIME = 62;
    /** Connection timed out. */
    public static final int ETIMEDOUT = 110;
    /** No such device or address. */
    public static final int ENXIO = 6;
    /** No such device. */
    public static final int ENODEV = 19;
    /** Read-only file system. */
    public static final int EROFS = 30;
    /** Cannot send after transport endpoint shutdown. */
    public static final int ESHUTDOWN = 108;
    /** Disk quota exceeded. */
    public static final int EDQUOT = 122;

    private static final String[] NAMES = new String[134];
    private static final String[] DESCRIPTIONS = new String[134];

    static
    {
        NAMES[1] = "EPERM";
        NAMES[2] = "ENOENT";
        NAMES[3] = "ESRCH";
        NAMES[4] = "EINTR";
        NAMES[5] = "EIO";
        NAMES[6] = "ENXIO";
        NAMES[7] = "E2BIG";
        NAMES[8] = "ENOEXEC";
        NAMES[9] = "EBADF";
        NAMES[10] = "ECHILD";
        NAMES[11] = "EAGAIN";
        NAMES[12] = "ENOMEM";
        NAMES[13] = "EACCES";
        NAMES[14] = "EFAULT";
        NAMES[15] = "ENOTBLK";
        NAMES[16] = "EBUSY";
        NAMES[17] = "EEXIST";
        NAMES[18] = "EXDEV";
        NAMES[19] = "ENODEV";
        NAMES[20] = "ENOTDIR";
        NAMES[21] = "EISDIR";
        NAMES[22] = "EINVAL";
        NAMES[23] = "ENFILE";
        NAMES[24] = "EMFILE";
        NAMES[25] = "ENOTTY";
        NAMES[26] = "ETXTBSY";
        NAMES[27] = "EFBIG";
        NAMES[28] = "ENOSPC";
        NAMES[29] = "ESPIPE";
        NAMES[30] = "EROFS";
        NAMES[31] = "EMLINK";
        NAMES[32] = "EPIPE";
        NAMES[33] = "EDOM";
        NAMES[34] = "ERANGE";
        NAMES[35] = "EDEADLK";
        NAMES[36] = "ENAMETOOLONG";
        NAMES[37] = "ENOLCK";
        NAMES[38] = "ENOSYS";
        NAMES[39] = "ENOTEMPTY";
        NAMES[40] = "ELOOP";
        NAMES[42] = "ENOMSG";
        NAMES[43] = "EIDRM";
        NAMES[44] = "ECHRNG";
        NAMES[45] = "EL2NSYNC";
        NAMES[46] = "EL3HLT";
        NAMES[47] = "EL3RST";
        NAMES[48] = "ELNRNG";
        NAMES[49] = "EUNATCH";
        NAMES[50] = "ENOCSI";
        NAMES[51] = "EL2HLT";
        NAMES[52] = "EBADE";
        NAMES[53] = "EBADR";
        NAMES[54] = "EXFULL";
        NAMES[55] = "ENOANO";
        NAMES[56] = "EBADRQC";
        NAMES[57] = "EBADSLT";
        NAMES[59] = "EBFONT";
        NAMES[60] = "ENOSTR";
        NAMES[61] = "ENODATA";
        NAMES[62] = "ETIME";
        NAMES[63] = "ENOSR";
        NAMES[64] = "ENONET";
        NAMES[65] = "ENOPKG";
        NAMES[66] = "EREMOTE";
        NAMES[67] = "ENOLINK";
        NAMES[68] = "EADV";
        NAMES[69] = "ESRMNT";
        NAMES[70] = "ECOMM";
        NAMES[71] = "EPROTO";
        NAMES[72] = "EMULTIHOP";
        NAMES[73] = "EDOTDOT";
        NAMES[74] = "EBADMSG";
        NAMES[75] = "EOVERFLOW";
        NAMES[76] = "ENOTUNIQ";
        NAMES[77] = "EBADFD";
        NAMES[78] = "EREMCHG";
        NAMES[79] = "ELIBACC";
        NAMES[80] = "ELIBBAD";
        NAMES[81] = "ELIBSCN";
        NAMES[82] = "ELIBMAX";
        NAMES[83] = "ELIBEXEC";
        NAMES[84] = "EILSEQ";
        NAMES[85] = "ERESTART";
        NAMES[86] = "ESTRPIPE";
        NAMES[87] = "EUSERS";
        NAMES[88] = "ENOTSOCK";
        NAMES[89] = "EDESTADDRREQ";
        NAMES[90] = "EMSGSIZE";
        NAMES[91] = "EPROTOTYPE";
        NAMES[92] = "ENOPROTOOPT";
        NAMES[93] = "EPROTONOSUPPORT";
        NAMES[94] = "ESOCKTNOSUPPORT";
        NAMES[95] = "EOPNOTSUPP";
        NAMES[96] = "EPFNOSUPPORT";
        NAMES[97] = "EAFNOSUPPORT";
        NAMES[98] = "EADDRINUSE";
        NAMES[99] = "EADDRNOTAVAIL";
        NAMES[100] = "ENETDOWN";
        NAMES[101] = "ENETUNREACH";
        NAMES[102] = "ENETRESET";
        NAMES[103] = "ECONNABORTED";
        NAMES[104] = "ECONNRESET";
        NAMES[105] = "ENOBUFS";
        NAMES[106] = "EISCONN";
        NAMES[107] = "ENOTCONN";
        NAMES[108] = "ESHUTDOWN";
        NAMES[109] = "ETOOMANYREFS";
        NAMES[110] = "ETIMEDOUT";
        NAMES[111] = "ECONNREFUSED";
        NAMES[112] = "EHOSTDOWN";
        NAMES[113] = "EHOSTUNREACH";
        NAMES[114] = "EALREADY";
        NAMES[115] = "EINPROGRESS";
        NAMES[116] = "ESTALE";
        NAMES[117] = "EUCLEAN";
        NAMES[118] = "ENOTNAM";
        NAMES[119] = "ENAVAIL";
        NAMES[120] = "EISNAM";
        NAMES[121] = "EREMOTEIO";
        NAMES[122] = "EDQUOT";
        NAMES[123] = "ENOMEDIUM";
        NAMES[124] = "EMEDIUMTYPE";
        NAMES[125] = "ECANCELED";
        NAMES[126] = "ENOKEY";
        NAMES[127] = "EKEYEXPIRED";
        NAMES[128] = "EKEYREVOKED";
        NAMES[129] = "EKEYREJECTED";
        NAMES[130] = "EOWNERDEAD";
        NAMES[131] = "ENOTRECOVERABLE";
        NAMES[132] = "ERFKILL";
        DESCRIPTIONS[1] = "Operation not permitted";
        DESCRIPTIONS[2] = "No such file or directory";
        DESCRIPTIONS[3] = "No such process";
        DESCRIPTIONS[4] = "Interrupted system call";
        DESCRIPTIONS[5] = "Input/output error";
        DESCRIPTIONS[6] = "No such device or address";
        DESCRIPTIONS[7] = "Argument list too long";
        DESCRIPTIONS[8] = "Exec format error";
        DESCRIPTIONS[9] = "Bad file descriptor";
        DESCRIPTIONS[10] = "No child processes";
        DESCRIPTIONS[11] = "Resource temporarily unavailable";
        DESCRIPTIONS[12] = "Cannot allocate memory";
        DESCRIPTIONS[13] = "Permission denied";
        DESCRIPTIONS[14] = "Bad address";
        DESCRIPTIONS[15] = "Block device required";
        DESCRIPTIONS[16] = "Device or resource busy";
        DESCRIPTIONS[17] = "File exists";
        DESCRIPTIONS[18] = "Invalid cross-device link";
        DESCRIPTIONS[19] = "No such device";
        DESCRIPTIONS[20] = "Not a directory";
        DESCRIPTIONS[21] = "Is a directory";
        DESCRIPTIONS[22] = "Invalid argument";
        DESCRIPTIONS[23] = "Too many open files in system";
        DESCRIPTIONS[24] = "Too many open files";
        DESCRIPTIONS[25] = "Inappropriate ioctl for device";
        DESCRIPTIONS[26] = "Text file busy";
        DESCRIPTIONS[27] = "File too large";
        DESCRIPTIONS[28] = "No space left on device";
        DESCRIPTIONS[29] = "Illegal seek";
        DESCRIPTIONS[30] = "Read-only file system";
        DESCRIPTIONS[31] = "Too many links";
        DESCRIPTIONS[32] = "Broken pipe";
        DESCRIPTIONS[33] = "Numerical argument out of domain";
        DESCRIPTIONS[34] = "Numerical result out of range";
        DESCRIPTIONS[35] = "Resource deadlock avoided";
        DESCRIPTIONS[36] = "File name too long";
        DESCRIPTIONS[37] = "No locks available";
        DESCRIPTIONS[38] = "Function not implemented";
        DESCRIPTIONS[39] = "Directory not empty";
        DESCRIPTIONS[40] = "Too many levels of symbolic links";
        DESCRIPTIONS[42] = "No message of desired type";
        DESCRIPTIONS[43] = "Identifier removed";
        DESCRIPTIONS[44] = "Channel number out of range";
        DESCRIPTIONS[45] = "Level 2 not synchronized";
        DESCRIPTIONS[46] = "Level 3 halted";
        DESCRIPTIONS[47] = "Level 3 reset";
        DESCRIPTIONS[48] = "Link number out of range";
        DESCRIPTIONS[49] = "Protocol driver not attached";
        DESCRIPTIONS[50] = "No CSI structure available";
        DESCRIPTIONS[51] = "Level 2 halted";
        DESCRIPTIONS[52] = "Invalid exchange";
        DESCRIPTIONS[53] = "Invalid request descriptor";
        DESCRIPTIONS[54] = "Exchange full";
        DESCRIPTIONS[55] = "No anode";
        DESCRIPTIONS[56] = "Invalid request code";
        DESCRIPTIONS[57] = "Invalid slot";
        DESCRIPTIONS[59] = "Bad font file format";
        DESCRIPTIONS[60] = "Device not a stream";
        DESCRIPTIONS[61] = "No data available";
        DESCRIPTIONS[62] = "Timer expired";
        DESCRIPTIONS[63] = "Out of streams resources";
        DESCRIPTIONS[64] = "Machine is not on the network";
        DESCRIPTIONS[65] = "Package not installed";
        DESCRIPTIONS[66] = "Object is remote";
        DESCRIPTIONS[67] = "Link has been severed";
        DESCRIPTIONS[68] = "Advertise error";
        DESCRIPTIONS[69] = "Srmount error";
        DESCRIPTIONS[70] = "Communication error on send";
        DESCRIPTIONS[71] = "Protocol error";
        DESCRIPTIONS[72] = "Multihop attempted";
        DESCRIPTIONS[73] = "RFS specific error";
        DESCRIPTIONS[74] = "Bad message";
        DESCRIPTIONS[75] = "Value too large for defined data type";
        DESCRIPTIONS[76] = "Name not unique on network";
        DESCRIPTIONS[77] = "File descriptor in bad state";
        DESCRIPTIONS[78] = "Remote address changed";
        DESCRIPTIONS[79] = "Can not access a needed shared library";
        DESCRIPTIONS[80] = "Accessing a corrupted shared library";
        DESCRIPTIONS[81] = ".lib section in a.out corrupted";
        DESCRIPTIONS[82] = "Attempting to link in too many shared libraries";
        DESCRIPTIONS[83] = "Cannot exec a shared library directly";
        DESCRIPTIONS[84] = "Invalid or incomplete multibyte or wide character";
        DESCRIPTIONS[85] = "Interrupted system call should be restarted";
        DESCRIPTIONS[86] = "Streams pipe error";
        DESCRIPTIONS[87] = "Too many users";
        DESCRIPTIONS[88] = "Socket operation on non-socket";
        DESCRIPTIONS[89] = "Destination address required";
        DESCRIPTIONS[90] = "Message too long";
        DESCRIPTIONS[91] = "Protocol wrong type for socket";
        DESCRIPTIONS[92] = "Protocol not available";
        DESCRIPTIONS[93] = "Protocol not supported";
        DESCRIPTIONS[94] = "Socket type not supported";
        DESCRIPTIONS[95] = "Operation not supported";
        DESCRIPTIONS[96] = "Protocol family not supported";
        DESCRIPTIONS[97] = "Address family not supported by protocol";
        DESCRIPTIONS[98] = "Address already in use";
        DESCRIPTIONS[99] = "Cannot assign requested address";
        DESCRIPTIONS[100] = "Network is down";
        DESCRIPTIONS[101] = "Network is unreachable";
        DESCRIPTIONS[102] = "Network dropped connection on reset";
        DESCRIPTIONS[103] = "Software caused connection abort";
        DESCRIPTIONS[104] = "Connection reset by peer";
        DESCRIPTIONS[105] = "No buffer space available";
        DESCRIPTIONS[106] = "Transport endpoint is already connected";
        DESCRIPTIONS[107] = "Transport endpoint is not connected";
        DESCRIPTIONS[108] = "Cannot send after transport endpoint shutdown";
        DESCRIPTIONS[109] = "Too many references: cannot splice";
        DESCRIPTIONS[110] = "Connection timed out";
        DESCRIPTIONS[111] = "Connection refused";
        DESCRIPTIONS[112] = "Host is down";
        DESCRIPTIONS[113] = "No route to host";
        DESCRIPTIONS[114] = "Operation already in progress";
        DESCRIPTIONS[115] = "Operation now in progress";
        DESCRIPTIONS[116] = "Stale file handle";
        DESCRIPTIONS[117] = "Structure needs cleaning";
        DESCRIPTIONS[118] = "Not a XENIX named type file";
        DESCRIPTIONS[119] = "No XENIX semaphores available";
        DESCRIPTIONS[120] = "Is a named type file";
        DESCRIPTIONS[121] = "Remote I/O error";
        DESCRIPTIONS[122] = "Disk quota exceeded";
        DESCRIPTIONS[123] = "No medium found";
        DESCRIPTIONS[124] = "Wrong medium type";
        DESCRIPTIONS[125] = "Operation canceled";
        DESCRIPTIONS[126] = "Required key not available";
        DESCRIPTIONS[127] = "Key has expired";
        DESCRIPTIONS[128] = "Key has been revoked";
        DESCRIPTIONS[129] = "Key was rejected by service";
        DESCRIPTIONS[130] = "Owner died";
        DESCRIPTIONS[131] = "State not recoverable";
        DESCRIPTIONS[132] = "Operation not possible due to RF-kill";
    }

    private Errno()
    {
    }

    /**
     * @param errno a positive errno value (a negative one is negated first).
     * @return its symbolic name, e.g. {@code "ENOSPC"}, or {@code "ERRNO_<n>"} when unknown.
     */
    public static String name(final int errno)
    {
        final int n = Math.abs(errno);
        final String name = n < NAMES.length ? NAMES[n] : null;
        return name != null ? name : "ERRNO_" + n;
    }

    /**
     * @param errno a positive errno value (a negative one is negated first).
     * @return the C library's description, e.g. {@code "No space left on device"}, or empty when unknown.
     */
    public static String describe(final int errno)
    {
        final int n = Math.abs(errno);
        final String text = n < DESCRIPTIONS.length ? DESCRIPTIONS[n] : null;
        return text != null ? text : "";
    }

    /**
     * Maps an errno onto Conduit's error model; the exception keeps the errno itself beside it.
     *
     * @param errno a positive errno value (a negative one is negated first).
     * @return the code a caller should act on; {@link ErrorCode#SYSTEM_ERROR} when no closer one fits.
     */
    public static ErrorCode errorCode(final int errno)
    {
        return switch (Math.abs(errno))
        {
            case EPERM, EACCES, EROFS -> ErrorCode.PERMISSION_DENIED;
            case ENOENT -> ErrorCode.NOT_FOUND;
            case EINTR, EAGAIN, EBUSY -> ErrorCode.TRY_AGAIN;
            case EIO -> ErrorCode.IO_ERROR;
            case EBADF, EFAULT, EINVAL -> ErrorCode.INVALID_ARGUMENT;
            case ENOMEM -> ErrorCode.OUT_OF_MEMORY;
            case EEXIST -> ErrorCode.ALREADY_EXISTS;
            case ENOTTY, ENOSYS, EOPNOTSUPP -> ErrorCode.NOT_SUPPORTED;
            case ENOSPC, EDQUOT -> ErrorCode.NO_SPACE;
            case ECANCELED -> ErrorCode.CANCELLED;
            case ETIME, ETIMEDOUT -> ErrorCode.TIMED_OUT;
            case ENXIO, ENODEV -> ErrorCode.DEVICE_UNAVAILABLE;
            case ESHUTDOWN -> ErrorCode.SHUTDOWN;
            default -> ErrorCode.SYSTEM_ERROR;
        };
    }
}
