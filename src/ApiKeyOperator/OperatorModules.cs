using ApiKeyOperator.Admission;
using ApiKeyOperator.Controllers.ApiKeyRotations;
using ApiKeyOperator.Controllers.ApiKeys;
using ApiKeyOperator.Hosting;
using ApiKeyOperator.Ledger;
using ApiKeyOperator.Security;
using ApiKeyOperator.Verification;

namespace ApiKeyOperator;

/// <summary>The features of <c>apikey-operator run</c>, in one list shared by Program.cs and the integration tests.</summary>
public static class OperatorModules
{
    public static IReadOnlyList<IOperatorModule> All { get; } =
    [
        new LedgerModule(),
        new ApiKeyModule(),
        new ApiKeyRotationModule(),
        new VerificationModule(),
        new SecurityModule(),
        new ProvidersModule(),
        new AdmissionModule(),
    ];
}
