using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace KubeSim.Tests.Lifecycle;

/// <summary>
/// Namespace termination as a state machine, driven through random interleavings of creates, deletes,
/// finalizer releases, the namespace's own deletion and namespace-controller passes. Invariants: content held by
/// a finalizer is never removed early, nothing is created in a terminating or removed namespace, a removed
/// namespace has no content, and once every finalizer is released the namespace goes.
/// </summary>
public sealed class NamespaceTerminationModelTests
{
    private const string Ns = "model";
    private static readonly ResourceId Namespaces = new("", "v1", "namespaces");
    private static readonly ResourceId ConfigMaps = new("", "v1", "configmaps");

    private sealed record Step(int Kind, int Item, bool Finalized);

    [Fact]
    public void Termination_invariants_hold_over_random_interleavings()
    {
        var step = Gen.Select(Gen.Int[0, 5], Gen.Int[0, 3], Gen.Bool, (kind, item, finalized) => new Step(kind, item, finalized));
        step.Array[1, 40].Sample(steps =>
        {
            var store = NewStore();
            var held = new HashSet<string>();
            foreach (var s in steps)
            {
                Apply(store, s, held);
                Check(store, held);
            }

            // Drain: release everything, delete the namespace; the controller must finish within a few passes.
            foreach (var name in held.ToList())
            {
                Release(store, name, held);
            }

            TryDelete(() => store.Delete(Namespaces, null, Ns));
            for (var pass = 0; pass < 5 && store.Get(Namespaces, null, Ns) is not null; pass++)
            {
                Collect(store);
            }

            Assert.Null(store.Get(Namespaces, null, Ns));
            Assert.Empty(store.List(ConfigMaps, Ns));
        }, iter: 300, threads: 1);
    }

    private static void Apply(ObjectStore store, Step step, HashSet<string> held)
    {
        var name = $"cm-{step.Item}";
        var ns = store.Get(Namespaces, null, Ns);
        switch (step.Kind)
        {
            case 0:
                var cm = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } };
                if (step.Finalized)
                {
                    cm["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
                }

                try
                {
                    store.Create(ConfigMaps, Ns, cm);
                    Assert.True(ns is not null && !ObjectMeta.IsDeleting(ns), "created content in a terminating or removed namespace");
                    if (step.Finalized)
                    {
                        held.Add(name);
                    }
                }
                catch (ApiException ex) when (ex.Code == 409)
                {
                    Assert.NotNull(store.Get(ConfigMaps, Ns, name));
                }
                catch (ApiException ex) when (ex.Code == 403)
                {
                    Assert.True(ns is not null && ObjectMeta.IsDeleting(ns));
                    Assert.Equal("NamespaceTerminating", ex.Details!["causes"]![0]!["reason"]!.GetValue<string>());
                }
                catch (ApiException ex) when (ex.Code == 404)
                {
                    Assert.Null(ns);
                }

                break;
            case 1:
                TryDelete(() => store.Delete(ConfigMaps, Ns, name));
                break;
            case 2:
                Release(store, name, held);
                break;
            case 3:
                TryDelete(() => store.Delete(Namespaces, null, Ns));
                break;
            default:
                Collect(store);
                break;
        }
    }

    private static void Check(ObjectStore store, HashSet<string> held)
    {
        foreach (var name in held)
        {
            Assert.NotNull(store.Get(ConfigMaps, Ns, name));
        }

        var ns = store.Get(Namespaces, null, Ns);
        if (ns is null)
        {
            Assert.Empty(store.List(ConfigMaps, Ns));
        }
        else if (ObjectMeta.IsDeleting(ns))
        {
            Assert.Equal("Terminating", ns["status"]!["phase"]!.GetValue<string>());
        }
    }

    private static void Release(ObjectStore store, string name, HashSet<string> held)
    {
        try
        {
            store.Patch(ConfigMaps, Ns, name, current =>
            {
                ObjectMeta.SetFinalizers(current, []);
                return current;
            });
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            // Never created, or already gone.
        }

        held.Remove(name);
    }

    private static void Collect(ObjectStore store)
    {
        foreach (var deletion in store.CollectGarbage())
        {
            store.DeletePlanned(deletion);
        }
    }

    private static void TryDelete(Action delete)
    {
        try
        {
            delete();
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            // Already gone.
        }
    }

    private static ObjectStore NewStore()
    {
        var store = new ObjectStore(new ResourceRegistry([.. BuiltInResources.Create()]), 1000, TimeProvider.System, NullLogger.Instance);
        store.Create(Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = Ns } });
        return store;
    }
}
