package dev.conduit.bench;

import java.util.List;

/**
 * One run of Conduit's side and what fio needs to repeat it.
 *
 * @param result  what Conduit achieved.
 * @param ioPath  how it did its I/O (engine, registered files and buffers, O_DIRECT).
 * @param regions where its I/O went (the target file, or the runs of an object's blocks).
 */
public record ConduitRun(BenchResult result, IoPath ioPath, List<Region> regions)
{
}
