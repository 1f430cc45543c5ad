package dev.conduit.bench;

import java.nio.file.Path;

/**
 * A byte range of a file or device that a benchmark reads: the whole target file, or one run of an
 * object's blocks in a namespace file. fio gets one job per region ({@code --filename},
 * {@code --offset}, {@code --size}).
 *
 * @param file        the file or block device.
 * @param offsetBytes start.
 * @param sizeBytes   length.
 */
public record Region(Path file, long offsetBytes, long sizeBytes)
{
}
