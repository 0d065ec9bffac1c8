using System.Text;
using ApiKeyOperator.Ledger;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

public sealed class KeyMaterialTests : LedgerTestBase
{
    public static TheoryData<string> Fields => ["namespace", "apiKey", "keyId", "scopes", "reason", "rotation", "actor", "message"];

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task Record_RejectsTokenInAnyField_NamingFieldNotValue(string field)
    {
        SqliteAuditLedger ledger = Fixture.Open();
        string token = TokenSamples.Create();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ledger.TryRecordAsync(WithValue(LedgerFixture.Entry(), field, $"see {token} here"), Ct));

        Assert.Equal(field, error.ParamName);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token[^43..], error.ToString(), StringComparison.Ordinal);
        Assert.Empty((await ledger.QueryAsync(new AuditQuery(), Ct)).Items);
    }

    [Fact]
    public void Guard_DrawsTheLineAt32Base62Characters()
    {
        string thirtyOne = new('a', 31);
        KeyMaterialGuard.Check($"x-{thirtyOne}-y", "message");
        KeyMaterialGuard.Check("kubectl-client-side-apply recordings:read sha256 3f9a1c2e", "message");

        Assert.Throws<ArgumentException>(() => KeyMaterialGuard.Check(thirtyOne + "Z", "message"));
    }

    [Fact]
    public void Guard_AcceptsLongKubernetesNamesAndHexHashes()
    {
        // Legal object names are lower case and digits; hashes in messages are lower-case hex. Neither is a key.
        KeyMaterialGuard.Check("billingexporterforpaymentsteam0123456789", "apiKey");
        KeyMaterialGuard.Check("sha256:" + new string('f', 64), "message");

        Assert.Throws<ArgumentException>(() => KeyMaterialGuard.Check(TokenSamples.Create()[^49..], "message"));
    }

    [Fact]
    public async Task DatabaseFile_AfterLifecycle_ContainsNoKeyMaterial()
    {
        IReadOnlyList<string> tokens = TokenSamples.CreateMany(20);
        SqliteAuditLedger ledger = Fixture.Open();
        string[] lifecycle = [AuditEventKinds.Issued, AuditEventKinds.ExpiryUpdated, AuditEventKinds.RotationStarted, AuditEventKinds.Issued, AuditEventKinds.RolledOut, AuditEventKinds.Revoked, AuditEventKinds.Expired, AuditEventKinds.Deleted];
        int rejected = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            string keyId = tokens[i].Split('_')[^2][^8..];
            AuditEntry entry = LedgerFixture.Entry(lifecycle[i % lifecycle.Length], keyId: keyId) with { Rotation = "billing-exporter-2026-11", Reason = "scheduled" };
            Assert.True(await ledger.TryRecordAsync(entry, Ct));

            // A careless caller passing the key itself, anywhere, is refused.
            foreach (string field in Fields)
            {
                await Assert.ThrowsAsync<ArgumentException>(() => ledger.TryRecordAsync(WithValue(entry, field, tokens[i]), Ct));
                rejected++;
            }

            Fixture.Time.Advance(TimeSpan.FromMinutes(5));
        }

        await ledger.PurgeAsync(Ct);
        ledger.Dispose();

        byte[] bytes = [.. Directory.GetFiles(Fixture.Directory).SelectMany(File.ReadAllBytes)];
        Assert.Equal(tokens.Count * Fields.Count, rejected);
        Assert.True(bytes.Length > 0);
        // Positive control: the scan does see plain text that was stored.
        Assert.NotEqual(-1, bytes.AsSpan().IndexOf("billing-exporter-2026-11"u8));
        foreach (string token in tokens)
        {
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token[^43..])));
        }
    }

    private static AuditEntry WithValue(AuditEntry entry, string field, string value) => field switch
    {
        "namespace" => entry with { Namespace = value },
        "apiKey" => entry with { ApiKey = value },
        "keyId" => entry with { KeyId = value },
        "scopes" => entry with { Scopes = ["recordings:read", value] },
        "reason" => entry with { Reason = value },
        "rotation" => entry with { Rotation = value },
        "actor" => entry with { Actor = value },
        "message" => entry with { Message = value },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "unknown field"),
    };
}
