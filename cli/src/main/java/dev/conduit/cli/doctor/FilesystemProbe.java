package dev.conduit.cli.doctor;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.ConduitException;
import dev.conduit.nativebindings.DirectIoSupport;
import dev.conduit.nativebindings.FileSystemInfo;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;

/**
 * The filesystem (or block device) behind the data path: type, whether O_DIRECT works there (by
 * trying it), and block sizes. A data directory that does not exist yet is examined through its
 * nearest existing parent, and the report says so.
 */
final class FilesystemProbe
{
    private FilesystemProbe()
    {
    }

    static ObjectNode report(final Path requested)
    {
        final ObjectNode fs = JsonNodeFactory.instance.objectNode();
        final Path absolute = requested.toAbsolutePath().normalize();
        fs.put("path", absolute.toString());
        final Path existing = nearestExisting(absolute);
        if (existing == null)
        {
            fs.put("error", "no existing parent directory");
            return fs;
        }
        if (!existing.equals(absolute))
        {
            fs.put("examined", existing.toString());
            fs.put("note", "path does not exist yet; examined its nearest existing parent");
        }
        try
        {
            final FileSystemInfo info = FileSystemInfo.of(existing);
            fs.put("type", info.typeName());
            fs.put("magic", "0x" + Long.toHexString(info.magic()));
            fs.put("total_bytes", info.totalBytes());
            fs.put("available_bytes", info.availableBytes());
            if (Files.isDirectory(existing))
            {
                directoryReport(fs, existing);
            }
            else
            {
                deviceReport(fs, existing);
            }
        }
        catch (final ConduitException e)
        {
            fs.put("error", e.getMessage());
        }
        return fs;
    }

    private static void directoryReport(final ObjectNode fs, final Path dir)
    {
        fs.put("block_device", false);
        if (!Files.isWritable(dir))
        {
            fs.putNull("o_direct");
            fs.put("o_direct_reason", "directory is not writable; cannot create a probe file");
            return;
        }
        final DirectIoSupport dio = DirectIoSupport.probe(dir);
        fs.put("o_direct", dio.supported());
        fs.put("o_direct_reason", dio.reason());
        if (dio.supported())
        {
            fs.put("logical_block_size", dio.alignment());
            fs.put("physical_block_size", Math.max(dio.alignment(), dio.preferredSize()));
        }
    }

    private static void deviceReport(final ObjectNode fs, final Path file)
    {
        try (PosixFile f = PosixFile.open(file, LibC.O_RDONLY, 0))
        {
            final boolean block = f.isBlockDevice();
            fs.put("block_device", block);
            fs.put("size_bytes", f.size());
            if (block)
            {
                fs.put("logical_block_size", f.logicalBlockSize());
                fs.put("physical_block_size", f.physicalBlockSize());
            }
        }
        try (PosixFile ignored = PosixFile.open(file, LibC.O_RDONLY | LibC.O_DIRECT, 0))
        {
            fs.put("o_direct", true);
            fs.put("o_direct_reason", "ok");
        }
        catch (final ConduitException e)
        {
            fs.put("o_direct", false);
            fs.put("o_direct_reason", e.nativeName());
        }
    }

    private static Path nearestExisting(final Path path)
    {
        Path p = path;
        while (p != null && !Files.exists(p))
        {
            p = p.getParent();
        }
        return p;
    }
}
