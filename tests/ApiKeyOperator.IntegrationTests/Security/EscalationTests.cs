using System.Net;
using ApiKeyOperator.Api;
using ApiKeyOperator.IntegrationTests.Harness;
using ApiKeyOperator.IntegrationTests.Identity;
using ApiKeyOperator.IntegrationTests.Operator;
using k8s.Models;
using Xunit;

namespace ApiKeyOperator.IntegrationTests.Security;

/// <summary>
/// A tenant cannot use the operator to get more than RBAC gives them: each hostile change is refused by the
/// webhook with a message naming the field and the missing permission, and nothing changes. Run as distinct users
/// on a KubeSim that enforces RBAC; the webhook asks SubjectAccessReview on the requester's behalf.
/// </summary>
public sealed class EscalationTests(RbacEnforcingSimFixture cluster) : WebhookOperatorTest(cluster), IClassFixture<RbacEnforcingSimFixture>
{
    [Fact]
    public async Task An_editor_cannot_repoint_secretName_to_a_Secret_they_can_read()
    {
        await StartWithWebhookAsync();
        await CreateApiKeyAsAsync(Admin, "billing");
        var before = await WaitForReadyAsync("billing");

        var (code, message) = await RefusedAsync(() => As<ApiKey>(Editor).PatchAsync(Key("billing"), $$$"""{"spec":{"secretName":"{{{EditorSecret}}}"}}""", Ct));

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Contains(
            "spec.secretName: Forbidden: moving the key out of Secret \"billing-key\" requires permission to read it: user \"erin\" cannot get secrets \"billing-key\" in the namespace \"" + Namespace + "\"",
            message, StringComparison.Ordinal);
        var after = (await Resources<ApiKey>().GetAsync(Key("billing"), Ct))!;
        Assert.Equal((before.Metadata.Generation, "billing-key"), (after.Metadata.Generation, after.Spec.SecretName));
        Assert.NotNull(await Resources<V1Secret>().GetAsync(Key("billing-key"), Ct));
        Assert.Null(await Resources<V1Secret>().GetAsync(Key(EditorSecret), Ct));
        // Someone who may read the key may move it.
        await As<ApiKey>(Admin).PatchAsync(Key("billing"), """{"spec":{"secretName":"billing-moved"}}""", Ct);
        await WaitForAsync<ApiKey>("billing", k => k.Status?.ObservedGeneration == before.Metadata.Generation + 1, "the move reconciled");
    }

    [Fact]
    public async Task Rollout_targets_must_be_patchable_by_the_requester_and_read_the_Secret()
    {
        await StartWithWebhookAsync();
        await CreateDeploymentAsync("payroll", readsSecret: "tool-key");
        await CreateDeploymentAsync(EditorApp, readsSecret: "unrelated");

        var deputy = await RefusedAsync(() => CreateApiKeyAsAsync(Editor, "tool", s => s.Rollout = Targets("payroll")));
        var unrelated = await RefusedAsync(() => CreateApiKeyAsAsync(Editor, "tool", s => s.Rollout = Targets(EditorApp)));

        Assert.Equal(HttpStatusCode.Forbidden, deputy.Code);
        Assert.Contains(
            "spec.rollout.targets[0]: Forbidden: the operator restarts this workload on every rotation, so naming it requires permission to patch it: user \"erin\" cannot patch deployments.apps \"payroll\"",
            deputy.Message, StringComparison.Ordinal);
        Assert.Contains($"spec.rollout.targets[0]: Invalid value: Deployment \"{EditorApp}\" does not reference Secret \"tool-key\"", unrelated.Message, StringComparison.Ordinal);
        Assert.Null(await Resources<ApiKey>().GetAsync(Key("tool"), Ct));
        Assert.Null(await Resources<V1Secret>().GetAsync(Key("tool-key"), Ct));
        var payroll = (await Resources<V1Deployment>().GetAsync(Key("payroll"), Ct))!;
        Assert.False(payroll.Spec.Template.Metadata.Annotations?.ContainsKey(WellKnown.KeyIdAnnotation) ?? false);

        // The editor's own workload, reading the key's Secret, is a target they may name.
        await Resources<V1Deployment>().DeleteAsync(Key(EditorApp), Ct);
        await CreateDeploymentAsync(EditorApp, readsSecret: "tool-key");
        await Eventually.WaitAsync(
            async ct =>
            {
                try
                {
                    await CreateApiKeyAsAsync(Editor, "tool", s => s.Rollout = Targets(EditorApp));
                    return true;
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden && e.Response.Content.Contains("does not exist", StringComparison.Ordinal))
                {
                    return false; // the operator's cache has not seen the new Deployment yet
                }
            },
            Timeout, "the editor's own target accepted", Ct);
        await WaitForReadyAsync("tool");
    }

    [Fact]
    public async Task Scopes_are_granted_only_as_RBAC_allows_the_verb_grant()
    {
        await StartWithWebhookAsync();

        var refused = await RefusedAsync(() => CreateApiKeyAsAsync(Editor, "reports", s => s.Scopes = [EditorScope, "invoices:write"]));
        await CreateApiKeyAsAsync(Editor, "reader", s => s.Scopes = [EditorScope]);
        await CreateApiKeyAsAsync(Admin, "writer", s => s.Scopes = ["invoices:write"]);
        await WaitForReadyAsync("writer");
        // An editor may edit a key an admin granted more to, but not widen it further.
        await As<ApiKey>(Editor).PatchAsync(Key("writer"), """{"spec":{"validity":"720h"}}""", Ct);
        var widened = await RefusedAsync(() => As<ApiKey>(Editor).PatchAsync(Key("writer"), """{"spec":{"scopes":["invoices:write","payments:refund"]}}""", Ct));

        Assert.Equal(HttpStatusCode.Forbidden, refused.Code);
        Assert.Contains(
            $"spec.scopes: Forbidden: granting scope \"invoices:write\" requires the verb grant on it: user \"erin\" cannot grant scopes.apikeyoperator.io \"invoices:write\" in the namespace \"{Namespace}\"",
            refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(EditorScope + "\"", refused.Message, StringComparison.Ordinal);
        Assert.Null(await Resources<ApiKey>().GetAsync(Key("reports"), Ct));
        Assert.Contains("payments:refund", widened.Message, StringComparison.Ordinal);
        Assert.Equal(["invoices:write"], (await Resources<ApiKey>().GetAsync(Key("writer"), Ct))!.Spec.Scopes);
        await WaitForReadyAsync("reader");
    }

    [Fact]
    public async Task The_shipped_editor_role_may_start_an_emergency_rotation()
    {
        await StartWithWebhookAsync();
        await CreateApiKeyAsAsync(Admin, "billing");
        var ready = await WaitForReadyAsync("billing");

        await As<ApiKeyRotation>(Editor).CreateAsync(new ApiKeyRotation
        {
            Metadata = new V1ObjectMeta { Name = "leaked", NamespaceProperty = Namespace },
            Spec = new ApiKeyRotationSpec { ApiKeyName = "billing", Strategy = RotationStrategies.Emergency, Reason = "key posted in a chat" },
        }, Ct);

        var rotated = await WaitForAsync<ApiKey>("billing", k => k.Status?.CurrentKeyId is { } id && id != ready.Status.CurrentKeyId, "a new key");
        Assert.Contains(rotated.Status.Keys!, k => k.Id == ready.Status.CurrentKeyId && k.State == KeyStates.Revoked);
    }

    private static RolloutSpec Targets(string deployment) => new() { AutoDiscover = false, Targets = [new RolloutTarget { Kind = WorkloadKinds.Deployment, Name = deployment }] };
}
