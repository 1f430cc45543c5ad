package dev.conduit.objecttier.audit;

import java.util.List;

/**
 * One stored batch of the audit log as read back.
 *
 * @param storeKey the batch object's key.
 * @param entries  its entries in stored order.
 */
public record AuditBatch(String storeKey, List<AuditEntry> entries)
{
    /** Copies the list, so a batch never changes under its reader. */
    public AuditBatch
    {
        entries = List.copyOf(entries);
    }
}
