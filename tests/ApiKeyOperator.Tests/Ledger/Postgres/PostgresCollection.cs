using Xunit;

namespace ApiKeyOperator.Tests.Ledger.Postgres;

/// <summary>Tests on the shared PostgreSQL server of <see cref="PostgresFixture"/>; each uses a database of its own.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
