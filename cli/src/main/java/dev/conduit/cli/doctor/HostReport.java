package dev.conduit.cli.doctor;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.nativebindings.cuda.CudaInventory;

/**
 * Assembles the doctor report from one probe per subsystem. Top-level keys are a contract for
 * scripts: {@code jdk}, {@code kernel}, {@code io_uring}, {@code fs}, {@code cuda}, {@code cufile},
 * {@code spdk}, {@code path}.
 */
public final class HostReport
{
    private HostReport()
    {
    }

    /**
     * @param dataPath directory whose filesystem is examined.
     * @return the report.
     */
    public static ObjectNode collect(final Path dataPath)
    {
        final ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.set("jdk", JdkProbe.report());
        report.set("kernel", KernelProbe.report());
        report.set("io_uring", IoUringProbe.report());
        report.set("fs", FilesystemProbe.report(dataPath));
        final CudaInventory cudaFacts = CudaProbe.collect();
        final ObjectNode cuda = CudaProbe.report(cudaFacts);
        final ObjectNode cufile = CufileProbe.report(CufileProbe.collect(cudaFacts));
        report.set("cuda", cuda);
        report.set("cufile", cufile);
        report.set("spdk", SpdkProbe.report());
        report.set("path", DataPathSelection.select(cuda, cufile));
        return report;
    }
}
