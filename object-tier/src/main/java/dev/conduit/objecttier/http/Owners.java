package dev.conduit.objecttier.http;

import dev.conduit.objecttier.xml.Owner;

/** The one owner Conduit reports for buckets, objects and uploads (it has no accounts). */
final class Owners
{
    /** The owner of everything. */
    static final Owner CONDUIT = new Owner("conduit", "conduit");

    private Owners()
    {
    }
}
