package dev.conduit.gdspath;

/**
 * One cuFile batch entry of a {@link GdsRead}: {@code bytes} at {@code fileOffsetBytes} of namespace
 * {@code namespaceIndex}'s file into the read's buffer at {@code bufferOffsetBytes}.
 *
 * @param read              the read it belongs to.
 * @param namespaceIndex    which store namespace (and cuFile handle).
 * @param fileOffsetBytes   offset in that namespace's file or device.
 * @param bufferOffsetBytes offset from the start of the destination buffer.
 * @param bytes             length.
 */
record GdsPiece(GdsRead read, int namespaceIndex, long fileOffsetBytes, long bufferOffsetBytes, long bytes)
{
}
