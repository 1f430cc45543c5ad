package dev.conduit.blocklayout;

/**
 * Where the journal and data regions of one namespace lie (see docs/FORMAT.md section 1).
 *
 * @param journalOffsetBytes start of the journal region; 0 when the namespace has none.
 * @param journalLengthBytes length of the journal region; 0 when the namespace has none.
 * @param dataOffsetBytes    start of the data region, aligned to the allocation unit.
 * @param dataLengthBytes    length of the data region, a whole number of allocation units.
 */
public record Regions(long journalOffsetBytes, long journalLengthBytes, long dataOffsetBytes, long dataLengthBytes)
{
    /** @return true when this namespace holds the journal (namespace 0). */
    public boolean hasJournal()
    {
        return journalLengthBytes > 0;
    }
}
