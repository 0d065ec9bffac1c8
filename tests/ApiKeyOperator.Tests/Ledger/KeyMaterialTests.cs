using System.Security.Cryptography;
using System.Text;
using ApiKeyOperator.Keys;
using ApiKeyOperator.Ledger;
using Prometheus;
using Xunit;

namespace ApiKeyOperator.Tests.Ledger;

/// <summary>
/// Audit rows are never dropped for their content: a field that looks like key material is stored as a marker
/// and counted; ordinary audit text (scopes, reasons, names, digests) is stored as written.
/// </summary>
public sealed class KeyMaterialTests : LedgerTestBase
{
    public static TheoryData<string> Fields => ["namespace", "apiKey", "keyId", "scopes", "reason", "rotation", "actor", "message"];

    /// <summary>Scopes as real providers name them, and reasons as people write them: none is a secret.</summary>
    public static TheoryData<string> OrdinaryText =>
    [
        "Invoices.ReadWriteAllOrganizationAccounts",
        "recordings:read",
        "https://graph.microsoft.com/Files.ReadWrite.AppFolder",
        "DeviceManagementManagedDevices.PrivilegedOperations.All",
        "ThreatIntelligence.ReadWrite.All",
        "https://www.googleapis.com/auth/cloud-platform.read-only",
        "admin:org_hook repo:status read:packages",
        "AccessReview.ReadWrite.Membership",
        "ServicePrincipalEndpoint.ReadWrite.All",
        "OrganizationalBranding.ReadWrite.All",
        "arn:aws:s3:::billing-exporter-artifacts/*",
        "contractor left the PaymentsPlatformIntegrationTeam",
        "kubectl-client-side-apply",
        "system:serviceaccount:apikey-operator-system:apikey-operator",
        "billingexporterforpaymentsteam0123456789",
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "3f9a1c2e",
        "tork_live_3f9a1c2e",
        "billing-exporter-2026-11-7d4b9c8f6-x2x9z",
        "MyAPIKeyForTheXYZServiceIntegration",
    ];

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task Record_KeepsTheRowAndRedactsOnlyTheFieldHoldingAToken(string field)
    {
        var registry = Metrics.NewCustomRegistry();
        using var ledger = new SqliteAuditLedger(
            new LedgerOptions { Path = Fixture.Path }, Fixture.Time, Fixture.Health, Fixture.Logger, redactions: new AuditRedactionMetrics(Metrics.WithCustomRegistry(registry)));
        string token = new KeyGenerator().Generate(CredentialFormat.Token, "tork_live_").ApiKey!;
        AuditEntry entry = LedgerFixture.Entry() with { Reason = "scheduled", Rotation = "billing-r1", Message = "issued" };

        Assert.True(await ledger.TryRecordAsync(WithValue(entry, field, $"see {token} here"), Ct));

        AuditEntry stored = Assert.Single((await ledger.QueryAsync(new AuditQuery(), Ct)).Items);
        string expectedMarker = AuditEntryValidator.Marker(KeyMaterialKind.ApiKey);
        Assert.Equal(Describe(WithValue(entry, field, expectedMarker)), Describe(stored));
        Assert.Contains("an API key issued by this operator", expectedMarker, StringComparison.Ordinal);
        Assert.Equal(1, await RedactionsAsync(registry, field));
        Assert.Contains(Fixture.Logger.Lines, line => line.Text.Contains($"field {field} looked like key material", StringComparison.Ordinal));
        Assert.DoesNotContain(Fixture.Logger.Lines, line => line.Text.Contains(token[^49..], StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(OrdinaryText))]
    public async Task Record_StoresScopesReasonsNamesAndDigestsAsWritten(string text)
    {
        SqliteAuditLedger ledger = Fixture.Open();
        AuditEntry entry = LedgerFixture.Entry() with { Scopes = ["recordings:read", text], Reason = text, Message = $"granted {text}" };

        Assert.True(await ledger.TryRecordAsync(entry, Ct));

        AuditEntry stored = Assert.Single((await ledger.QueryAsync(new AuditQuery(), Ct)).Items);
        Assert.Equal(["recordings:read", text], stored.Scopes);
        Assert.Equal(text, stored.Reason);
        Assert.Null(KeyMaterialGuard.Classify(text));
    }

    [Fact]
    public void Guard_RecognisesEveryIssuedTokenAndClientSecretExactly()
    {
        var generator = new KeyGenerator();
        for (int i = 0; i < 2000; i++)
        {
            var token = generator.Generate(CredentialFormat.Token, i % 2 == 0 ? "ak_" : "tork_live_");
            var client = generator.Generate(CredentialFormat.ClientCredentials, "svc_");

            Assert.Equal(KeyMaterialKind.ApiKey, KeyMaterialGuard.Classify(token.ApiKey));
            Assert.Equal(KeyMaterialKind.ApiKey, KeyMaterialGuard.Classify($"clientSecret={client.ClientSecret}"));
            // The client id is public: prefix and key id.
            Assert.Null(KeyMaterialGuard.Classify(client.ClientId));
        }
    }

    [Fact]
    public void Guard_RecognisesJwts()
    {
        string jwt = Jwt("""{"alg":"HS256","typ":"JWT"}""", """{"sub":"svc_3f9a1c2e","scope":"recordings:read","exp":1798761600}""");

        Assert.Equal(KeyMaterialKind.Jwt, KeyMaterialGuard.Classify($"Bearer {jwt}"));
        Assert.Equal(KeyMaterialKind.ApiKey, KeyMaterialGuard.Classify("ak_3f9a1c2e_" + new string('x', 43) + "AbC123"));
    }

    /// <summary>
    /// Other systems' secrets and a token's secret part pasted alone are found by their randomness: a heuristic,
    /// so its rate is asserted over a seeded sample (deterministic), not each case.
    /// </summary>
    [Theory]
    [InlineData("base64 of 32 random bytes", 0, 99.9)]
    [InlineData("a token's secret and checksum alone (49 base62)", 1, 99.9)]
    [InlineData("ghp_ + 36 base62", 2, 99.5)]
    [InlineData("sk_live_ + 24 base62", 3, 99.0)]
    public void Guard_FindsRandomSecretsOfOtherShapes(string shape, int generator, double minimumPercent)
    {
        var random = new Random(20261123 + generator);
        string Next() => generator switch
        {
            0 => Convert.ToBase64String(Bytes(random, 32)),
            1 => Base62Text(random, 49),
            2 => "ghp_" + Base62Text(random, 36),
            _ => "sk_live_" + Base62Text(random, 24),
        };
        const int Samples = 4000;

        int found = Enumerable.Range(0, Samples).Count(_ => KeyMaterialGuard.Classify(Next()) == KeyMaterialKind.HighEntropySecret);

        double percent = 100.0 * found / Samples;
        TestContext.Current.TestOutputHelper?.WriteLine($"{shape}: {percent:F2}% recognised");
        Assert.True(percent >= minimumPercent, $"{shape}: only {percent:F2}% recognised");
    }

    /// <summary>
    /// Invented CamelCase scopes (up to eight words and acronyms glued together) are almost never taken for
    /// secrets; real ones (<see cref="OrdinaryText"/>) never are. Seeded, so deterministic.
    /// </summary>
    [Fact]
    public void Guard_RarelyFlagsScopesComposedOfCamelCaseWords()
    {
        string[] words = ["Read", "Write", "All", "Organization", "Accounts", "Invoices", "Directory", "Mail", "User", "Group", "Policy",
            "Privileged", "Access", "Device", "Management", "Configuration", "Application", "Team", "Member", "Settings", "Reports", "Usage", "API", "SDK", "V2"];
        var random = new Random(20261123);
        const int Samples = 5000;
        var flagged = new List<string>();
        for (int i = 0; i < Samples; i++)
        {
            string scope = string.Concat(Enumerable.Range(0, random.Next(3, 9)).Select(_ => words[random.Next(words.Length)]));
            if (KeyMaterialGuard.Classify(scope) is not null)
            {
                flagged.Add(scope);
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{flagged.Count} of {Samples} flagged: {string.Join(", ", flagged)}");
        Assert.True(flagged.Count <= Samples / 500, $"{flagged.Count} of {Samples} invented scopes were taken for secrets: {string.Join(", ", flagged)}");
    }

    [Fact]
    public void Validate_ReplacesASuspiciousIdempotencyKeyByItsHashSoRowsStayDistinct()
    {
        string first = TokenSamples.Create();
        string second = TokenSamples.Create();

        (AuditEntry a, IReadOnlyList<string> redactedA) = AuditEntryValidator.Validate(LedgerFixture.Entry() with { IdempotencyKey = first });
        (AuditEntry b, _) = AuditEntryValidator.Validate(LedgerFixture.Entry() with { IdempotencyKey = second });

        Assert.Equal(["idempotencyKey"], redactedA);
        Assert.StartsWith("sha256:", a.IdempotencyKey, StringComparison.Ordinal);
        Assert.NotEqual(a.IdempotencyKey, b.IdempotencyKey);
        Assert.Equal("Issued/uid-1/3f9a1c2e", AuditEntryValidator.Validate(LedgerFixture.Entry() with { IdempotencyKey = "Issued/uid-1/3f9a1c2e" }).Entry.IdempotencyKey);
        // '/' is a base64 character: the operator's Kind/uid/keyId paths are judged part by part, not as one random run.
        foreach (string path in (string[])["Issued/5b0c/3f9a1c2e", "Revoked/6c1f0b7e-2d4a-4e8b-9a31-0f5c7d2e9b14/3f9a1c2e"])
        {
            Assert.Equal((path, 0), (AuditEntryValidator.Validate(LedgerFixture.Entry() with { IdempotencyKey = path }) is var (entry, fields) ? (entry.IdempotencyKey, fields.Count) : default));
        }
    }

    [Fact]
    public async Task DatabaseFile_AfterLifecycle_KeepsEveryRowAndNoKeyMaterial()
    {
        IReadOnlyList<string> tokens = TokenSamples.CreateMany(20);
        SqliteAuditLedger ledger = Fixture.Open();
        string[] lifecycle = [AuditEventKinds.Issued, AuditEventKinds.ExpiryUpdated, AuditEventKinds.RotationStarted, AuditEventKinds.Issued, AuditEventKinds.RolledOut, AuditEventKinds.Revoked, AuditEventKinds.Expired, AuditEventKinds.Deleted];
        for (int i = 0; i < tokens.Count; i++)
        {
            string keyId = tokens[i].Split('_')[^2][^8..];
            AuditEntry entry = LedgerFixture.Entry(lifecycle[i % lifecycle.Length], keyId: keyId) with { Rotation = "billing-exporter-2026-11", Reason = "scheduled" };
            Assert.True(await ledger.TryRecordAsync(entry, Ct));

            // A careless caller passing the key itself, anywhere: the row is kept, the key is not.
            foreach (string field in Fields)
            {
                Assert.True(await ledger.TryRecordAsync(WithValue(entry, field, tokens[i]), Ct));
            }

            Fixture.Time.Advance(TimeSpan.FromMinutes(5));
        }

        List<AuditEntry> rows = await LedgerFixture.ReadAllAsync(ledger, new AuditQuery());
        ledger.Dispose();

        Assert.Equal(tokens.Count * (1 + Fields.Count), rows.Count);
        byte[] bytes = [.. Directory.GetFiles(Fixture.Directory).SelectMany(File.ReadAllBytes)];
        // Positive control: the scan does see plain text that was stored.
        Assert.NotEqual(-1, bytes.AsSpan().IndexOf("billing-exporter-2026-11"u8));
        Assert.NotEqual(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(AuditEntryValidator.RedactedMarker)));
        foreach (string token in tokens)
        {
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token[^43..])));
        }
    }

    private static async Task<double> RedactionsAsync(CollectorRegistry registry, string field)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        string line = Encoding.UTF8.GetString(stream.ToArray()).Split('\n')
            .Single(l => l.StartsWith($"apikey_audit_redactions_total{{field=\"{field}\"}}", StringComparison.Ordinal));
        return double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Describe(AuditEntry e) =>
        string.Join(" | ", e.Kind, e.Namespace, e.ApiKey, e.KeyId, string.Join(",", e.Scopes), e.Reason, e.Rotation, e.Actor, e.Message);

    private static byte[] Bytes(Random random, int count)
    {
        byte[] bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Base62Text(Random random, int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => Base62.Alphabet[random.Next(62)])]);

    private static string Jwt(string header, string payload)
    {
        static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        string signingInput = Encode(Encoding.UTF8.GetBytes(header)) + "." + Encode(Encoding.UTF8.GetBytes(payload));
        return signingInput + "." + Encode(HMACSHA256.HashData(RandomNumberGenerator.GetBytes(32), Encoding.ASCII.GetBytes(signingInput)));
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
