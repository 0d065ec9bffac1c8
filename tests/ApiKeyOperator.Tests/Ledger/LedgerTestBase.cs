using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

/// <summary>Gives each test its own <see cref="LedgerFixture"/> (temp directory, fake clock) and cleans it up.</summary>
public abstract class LedgerTestBase : IDisposable
{
    internal LedgerFixture Fixture { get; } = new();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Fixture.Dispose();
        GC.SuppressFinalize(this);
    }
}
