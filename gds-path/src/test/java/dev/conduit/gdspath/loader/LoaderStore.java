package dev.conduit.gdspath.loader;

import dev.conduit.gdspath.DataPath;
import dev.conduit.gdspath.TestStore;
import dev.conduit.scheduler.store.ScheduledStore;

/** A real store holding the {@link LoaderDataset}, for a test class to open once and share. */
final class LoaderStore implements AutoCloseable
{
    private final TestStore fixture;
    private final LoaderDataset dataset;

    LoaderStore(final String name) throws Exception
    {
        this.fixture = new TestStore(name, 64L << 20);
        this.dataset = new LoaderDataset(fixture);
    }

    LoaderDataset dataset()
    {
        return dataset;
    }

    /** @return a loader over this store through its data path. */
    Loader open(final LoaderOptions options)
    {
        return open(options, fixture.path());
    }

    /** @return a loader over this store through {@code path} (one opened on {@link #scheduled()}). */
    Loader open(final LoaderOptions options, final DataPath path)
    {
        return Loader.open(options, path, fixture.scheduled().store());
    }

    /** @return the store under the scheduler, to open other data paths on. */
    ScheduledStore scheduled()
    {
        return fixture.scheduled();
    }

    @Override
    public void close() throws Exception
    {
        fixture.close();
    }
}
