package dev.conduit.gdspath.loader;

import dev.conduit.gdspath.TestStore;

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
        return Loader.open(options, fixture.path(), fixture.scheduled().store());
    }

    @Override
    public void close() throws Exception
    {
        fixture.close();
    }
}
