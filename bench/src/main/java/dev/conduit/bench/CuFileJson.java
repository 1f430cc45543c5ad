package dev.conduit.bench;

import java.util.Collection;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.nativebindings.cufile.CuFileDriverProperties;

/**
 * The cuFile driver's properties as JSON, one shape for {@code conduit doctor}'s {@code cufile.properties}
 * and the path bench's {@code cufile}: nvidia-fs version, status, control and feature flags (lower-case
 * names), whether NVMe is served, and the limits in the driver's own units.
 */
public final class CuFileJson
{
    private CuFileJson()
    {
    }

    /**
     * @param p the properties the driver reported when opened.
     * @return them as a JSON object.
     */
    public static ObjectNode properties(final CuFileDriverProperties p)
    {
        final ObjectNode props = JsonNodeFactory.instance.objectNode();
        props.put("nvfs_version", p.nvfsMajorVersion() + "." + p.nvfsMinorVersion());
        names(props.putArray("nvfs_status_flags"), p.statusFlags());
        names(props.putArray("control_flags"), p.controlFlags());
        names(props.putArray("feature_flags"), p.featureFlags());
        props.put("nvme_supported", p.nvmeSupported());
        props.put("poll_threshold_kb", p.pollThresholdKb());
        props.put("max_direct_io_size_kb", p.maxDirectIoSizeKb());
        props.put("max_device_cache_size_kb", p.maxDeviceCacheSizeKb());
        props.put("per_buffer_cache_size_kb", p.perBufferCacheSizeKb());
        props.put("max_device_pinned_mem_kb", p.maxDevicePinnedMemKb());
        props.put("max_batch_io_size", p.maxBatchIoSize());
        props.put("max_batch_io_timeout_ms", p.maxBatchIoTimeoutMs());
        return props;
    }

    private static void names(final ArrayNode out, final Collection<? extends Enum<?>> flags)
    {
        flags.forEach(f -> out.add(f.name().toLowerCase(Locale.ROOT)));
    }
}
