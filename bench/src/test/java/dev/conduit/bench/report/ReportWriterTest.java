package dev.conduit.bench.report;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWrite() throws Exception
    {
        final JsonNode run = ReportWriter.read(Path.of(getClass().getResource("run-randread-4k-vs-fio.json").toURI()));
        ReportWriter.writeRun(dir, run, Map.of("kernel", "x"));
    }
}
