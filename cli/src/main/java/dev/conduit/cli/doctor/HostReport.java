package dev.conduit.cli.doctor;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.config.ConduitConfig;
import dev.conduit.core.config.Settings;
import dev.conduit.gdspath.PathChoice;
import dev.conduit.gdspath.PathSelection;
import dev.conduit.nativebindings.cuda.CudaInventory;
import dev.conduit.nativebindings.cufile.CuFileInventory;

/**
 * Assembles the doctor report from one probe per subsystem. Top-level keys are a contract for
 * scripts: {@code jdk}, {@code kernel}, {@code io_uring}, {@code fs}, {@code cuda}, {@code cufile},
 * {@code spdk}, {@code path}, {@code config}. The path is gds-path's {@link PathSelection} on the
 * same typed facts the cuda and cufile sections render; each library section carries an
 * {@code override} when the configuration substitutes the library.
 */
public final class HostReport
{
    private HostReport()
    {
    }

    /**
     * @param dataPath directory whose filesystem is examined.
     * @param config   the effective configuration (reported, and the source of library overrides).
     * @return the report.
     */
    public static ObjectNode collect(final Path dataPath, final ConduitConfig config)
    {
        final ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.set("jdk", JdkProbe.report());
        report.set("kernel", KernelProbe.report());
        report.set("io_uring", IoUringProbe.report());
        report.set("fs", FilesystemProbe.report(dataPath));
        final CudaInventory cudaFacts = CudaProbe.collect();
        final CuFileInventory cufileFacts = CufileProbe.collect(cudaFacts);
        final ObjectNode cuda = CudaProbe.report(cudaFacts);
        ((ObjectNode)cuda.get("runtime")).set("override", ConfigReport.override(config, Settings.LIB_CUDART));
        ((ObjectNode)cuda.get("driver")).set("override", ConfigReport.override(config, Settings.LIB_CUDA));
        final ObjectNode cufile = CufileProbe.report(cufileFacts);
        cufile.set("override", ConfigReport.override(config, Settings.LIB_CUFILE));
        final ObjectNode spdk = SpdkProbe.report();
        spdk.set("override", ConfigReport.override(config, Settings.LIB_SPDK));
        report.set("cuda", cuda);
        report.set("cufile", cufile);
        report.set("spdk", spdk);
        report.set("path", path(PathSelection.select(cudaFacts, cufileFacts)));
        report.set("config", ConfigReport.report(config));
        return report;
    }

    private static ObjectNode path(final PathChoice choice)
    {
        final ObjectNode path = JsonNodeFactory.instance.objectNode();
        path.put("selected", choice.path().label());
        path.put("reason", choice.reason());
        return path;
    }
}
