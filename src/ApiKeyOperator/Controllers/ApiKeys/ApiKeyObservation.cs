using ApiKeyOperator.Api;
using k8s.Models;

namespace ApiKeyOperator.Controllers.ApiKeys;

/// <summary>
/// What the planner decides from: the ApiKey, the Secret named by <c>spec.secretName</c>, and, while the
/// credential is moving, the Secret named by <c>status.secretName</c>. Never mutated by the planner.
/// </summary>
public sealed record ApiKeyObservation(ApiKey ApiKey, V1Secret? Secret, V1Secret? PreviousSecret = null);
