package dev.conduit.cli.bench;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The report's header facts, flattened from doctor's JSON. */
class BenchHostFactsTest
{
    @Test
    void shouldFlattenDoctorsFactsAndListOnlyChangedSettings() throws Exception
    {
        final JsonNode doctor = new ObjectMapper().readTree("""
            {"jdk": {"version": "25.0.3", "vendor": "Temurin"},
             "kernel": {"release": "6.18.1", "os": "Linux", "arch": "amd64", "page_size": 4096, "cpus": 8},
             "io_uring": {"available": false, "reason": "blocked by seccomp"},
             "fs": {"path": "/data", "type": "xfs", "block_device": false, "o_direct_reason": "ok",
                    "logical_block_size": 512, "physical_block_size": 4096},
             "path": {"selected": "host", "reason": "no CUDA"},
             "config": {"file": "/etc/conduit.conf",
                        "settings": {"scheduler.queueDepth": {"value": "64", "source": "file /etc/conduit.conf"},
                                     "scheduler.idleSpins": {"value": "200", "source": "default"}}}}
            """);
        final Map<String, String> facts = BenchHostFacts.of(doctor, "/dev/nvme0n1", "host");
        assertEquals(List.of("kernel", "jdk", "io_uring", "file system", "device / target", "data path",
            "configuration file", "settings not at their default"), List.copyOf(facts.keySet()));
        assertEquals("Linux 6.18.1 amd64, 8 CPUs, page 4096 B", facts.get("kernel"));
        assertEquals("unavailable: blocked by seccomp", facts.get("io_uring"));
        assertEquals("xfs at /data, O_DIRECT ok, logical/physical block 512/4096 B", facts.get("file system"));
        assertEquals("/dev/nvme0n1", facts.get("device / target"));
        assertEquals("--path host; doctor selects host (no CUDA)", facts.get("data path"));
        assertEquals("/etc/conduit.conf", facts.get("configuration file"));
        assertEquals("scheduler.queueDepth=64 (file /etc/conduit.conf)", facts.get("settings not at their default"));
    }
}
