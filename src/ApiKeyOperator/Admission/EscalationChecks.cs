using ApiKeyOperator.Api;
using ApiKeyOperator.Rollouts;
using k8s.Models;

namespace ApiKeyOperator.Admission;

/// <summary>
/// Refuses ApiKey changes that would give the requester more than RBAC gives them, asking the authorizer on their
/// behalf (<see cref="IAccessReviewer"/>):
/// <list type="bullet">
/// <item><c>spec.secretName</c> changed: the requester must be allowed to <c>get</c> the current Secret, or moving
/// the key to a Secret they can read would hand them a key they could not read.</item>
/// <item>a new <c>spec.rollout.targets</c> entry: the requester must be allowed to <c>patch</c> that workload (the
/// operator patches it on every rotation), and its pod template must actually read the Secret.</item>
/// <item>a new scope in <c>spec.scopes</c>: the requester must be allowed to <c>grant</c> it, i.e. the verb
/// <c>grant</c> on <c>scopes.apikeyoperator.io</c> with the scope as resourceName.</item>
/// </list>
/// Only what the change adds is checked: an editor may still edit a key whose scopes an admin granted.
/// </summary>
public sealed class EscalationChecks(IAccessReviewer access, Func<string, WorkloadRef, WorkloadSnapshot?> workloads)
{
    public const string ScopeResource = "scopes";

    /// <summary>The refusals, each naming the field and the missing permission; empty when the change is allowed.</summary>
    public async Task<IReadOnlyList<string>> CheckAsync(AdmissionUser user, string namespaceName, ApiKeySpec spec, ApiKeySpec? old, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(spec);
        var refusals = new List<string>();
        if (old is not null && old.SecretName.Length > 0 && old.SecretName != spec.SecretName)
        {
            var get = new ResourceAccess("get", "", "secrets", namespaceName, old.SecretName);
            if (!await access.IsAllowedAsync(user, get, cancellationToken).ConfigureAwait(false))
            {
                refusals.Add($"spec.secretName: Forbidden: moving the key out of Secret \"{old.SecretName}\" requires permission to read it: user \"{user.Username}\" cannot {get.Describe()}");
            }
        }

        var oldTargets = (old?.Rollout?.Targets ?? []).Select(t => (t.Kind, t.Name)).ToHashSet();
        var targets = spec.Rollout?.Targets ?? [];
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            if (oldTargets.Contains((target.Kind, target.Name)))
            {
                continue;
            }

            var field = $"spec.rollout.targets[{i}]";
            if (Plural(target.Kind) is not { } plural)
            {
                refusals.Add($"{field}.kind: Unsupported value: \"{target.Kind}\": supported values: \"Deployment\", \"StatefulSet\", \"DaemonSet\"");
                continue;
            }

            var patch = new ResourceAccess("patch", "apps", plural, namespaceName, target.Name);
            if (!await access.IsAllowedAsync(user, patch, cancellationToken).ConfigureAwait(false))
            {
                refusals.Add($"{field}: Forbidden: the operator restarts this workload on every rotation, so naming it requires permission to patch it: user \"{user.Username}\" cannot {patch.Describe()}");
                continue;
            }

            var workload = workloads(namespaceName, new WorkloadRef(target.Kind, target.Name));
            if (workload is null)
            {
                refusals.Add($"{field}: Not found: {target.Kind} \"{target.Name}\" does not exist in the namespace \"{namespaceName}\" (create it first, or rely on spec.rollout.autoDiscover)");
            }
            else if (!SecretReferences.References(workload.Template?.Spec, spec.SecretName))
            {
                refusals.Add($"{field}: Invalid value: {target.Kind} \"{target.Name}\" does not reference Secret \"{spec.SecretName}\" in its pod template (env, envFrom or volume): only a workload that reads the key may be restarted for it");
            }
        }

        var oldScopes = (old?.Scopes ?? []).ToHashSet(StringComparer.Ordinal);
        foreach (var scope in (spec.Scopes ?? []).Distinct(StringComparer.Ordinal).Where(s => !oldScopes.Contains(s)))
        {
            var grant = new ResourceAccess("grant", ApiGroup.Name, ScopeResource, namespaceName, scope);
            if (!await access.IsAllowedAsync(user, grant, cancellationToken).ConfigureAwait(false))
            {
                refusals.Add($"spec.scopes: Forbidden: granting scope \"{scope}\" requires the verb grant on it: user \"{user.Username}\" cannot {grant.Describe()}");
            }
        }

        return refusals;
    }

    private static string? Plural(string kind) => kind switch
    {
        WorkloadKinds.Deployment => "deployments",
        WorkloadKinds.StatefulSet => "statefulsets",
        WorkloadKinds.DaemonSet => "daemonsets",
        _ => null,
    };
}
