using System.Net;
using k8s;
using KubeSim.Controllers;
using KubeSim.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeSim;

/// <summary>
/// An in-process Kubernetes API server double on 127.0.0.1 (plain HTTP). Start it, use <see cref="Client"/>
/// (or <see cref="CreateClient"/>, <see cref="KubeconfigYaml"/>, <see cref="WriteKubeconfig(string)"/>), dispose it.
/// </summary>
public sealed partial class KubeSimServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping;
    private readonly ApiDispatcher dispatcher;
    private readonly List<Task> loops = [];
    private readonly Kubernetes client;
    private WorkloadControllers? controllers;
    private readonly ILogger logger;
    private int disposed;

    private KubeSimServer(KubeSimOptions options, WebApplication app, CancellationTokenSource stopping, ObjectStore store, FaultInjector faults, RequestLog requests, AuthTables auth, ApiDispatcher dispatcher, Uri url, ILogger logger)
    {
        Identities = auth.Identities;
        this.logger = logger;
        Rbac = new RbacAuthorizer(store);
        Options = options;
        this.app = app;
        this.stopping = stopping;
        Store = store;
        Faults = faults;
        Requests = requests;
        Auth = auth;
        this.dispatcher = dispatcher;
        Url = url;
        ClientConfiguration = new KubernetesClientConfiguration { Host = url.ToString().TrimEnd('/') };
        client = new Kubernetes(ClientConfiguration);
    }

    /// <summary>Base URL, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Url { get; }

    /// <summary>A ready client for this server.</summary>
    public IKubernetes Client => client;

    /// <summary>Client configuration pointing at this server (no credentials needed).</summary>
    public KubernetesClientConfiguration ClientConfiguration { get; }

    /// <summary>The cluster state (KubeSim's own tests write to it directly; others go through the API).</summary>
    internal ObjectStore Store { get; }

    /// <summary>Test-only fault injection.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Every request served.</summary>
    public RequestLog Requests { get; }

    /// <summary>RBAC evaluation over the Roles, ClusterRoles and bindings stored in this server.</summary>
    public RbacAuthorizer Rbac { get; }

    /// <summary>What TokenReview and SubjectAccessReview answer (tests set tokens and access).</summary>
    public AuthTables Auth { get; }

    /// <summary>Bearer tokens and the users they authenticate as (requests, RBAC, TokenReview, webhook userInfo).</summary>
    public KubeSimIdentities Identities { get; }

    /// <summary>Admission webhook settings without a Kubernetes object (where service references go).</summary>
    public KubeSimAdmission Admission { get; private init; } = null!;

    /// <summary>The options the server runs with.</summary>
    public KubeSimOptions Options { get; }

    /// <summary>Starts a server; namespaces default and kube-system exist from the start.</summary>
    public static async Task<KubeSimServer> StartAsync(KubeSimOptions? options = null, CancellationToken ct = default)
    {
        options ??= new KubeSimOptions();
        return await StartAsync(options, NullLoggerFactory.Instance, ct).ConfigureAwait(false);
    }

    /// <summary>Starts a server that logs through the given factory (the standalone program logs to the console).</summary>
    public static async Task<KubeSimServer> StartAsync(KubeSimOptions options, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var time = options.TimeProvider;
        var logger = loggerFactory.CreateLogger("KubeSim");
        var store = new ObjectStore(new ResourceRegistry([.. BuiltInResources.Create(), .. AuthResources.All, .. AdmissionResources.All]), options.WatchHistoryWindow, time, logger);
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            store.Create(new ResourceId("", "v1", "namespaces"), null, new() { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = ns } });
        }

        var requests = new RequestLog();
        var stopping = new CancellationTokenSource();
        ApiDispatcher? dispatcherRef = null;
        var faults = new FaultInjector(() =>
        {
            store.DropWatches();
            dispatcherRef?.AbortConnections(null);
        }, time);
        var tables = new TableWriter(time);
        var rbac = new RbacAuthorizer(store);
        var identities = new KubeSimIdentities();
        var auth = new AuthTables(identities);
        var admission = new KubeSimAdmission(options.WebhookServiceEndpoints);
        var writes = new AdmittedWrites(store, new AdmissionChain(store, new WebhookCaller(admission)));
        var dispatcher = new ApiDispatcher(store, faults, requests, new ResourceHandler(store, tables, new ScaleSubresource(store), writes), new WatchHandler(store, faults, tables, time),
            new AccessReviewHandler(rbac), new ReviewHandler(auth, identities, rbac), rbac, new RequestAuthenticator(identities, options.RejectUnknownTokens), options.EnforceRbac, time, logger, stopping.Token);
        dispatcherRef = dispatcher;

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddSingleton(loggerFactory);
        var app = builder.Build();
        app.Run(dispatcher.HandleAsync);
        await app.StartAsync(ct).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new Uri(address.EndsWith('/') ? address : address + "/");
        dispatcher.ServerAddress = $"{url.Host}:{url.Port}";
        var server = new KubeSimServer(options, app, stopping, store, faults, requests, auth, dispatcher, url, logger) { Admission = admission };
        server.loops.Add(server.RunPeriodicAsync("bookmarks", options.BookmarkInterval, _ =>
        {
            store.SendBookmarks();
            return Task.CompletedTask;
        }));
        server.loops.Add(server.RunPeriodicAsync("garbage collection", options.GarbageCollectionInterval, ct => CollectGarbageAsync(store, writes, ct)));
        if (options.RunControllers)
        {
            server.controllers = WorkloadControllers.Start(store, options, time, logger);
        }

        return server;
    }

    /// <summary>Writes a kubeconfig (cluster, user, context, current-context) for this server.</summary>
    public void WriteKubeconfig(string path) => File.WriteAllText(path, Kubeconfig.Render(Url));

    /// <summary>
    /// The kubeconfig YAML for this server. Its bearer token is <paramref name="token"/>: a token added to
    /// <see cref="Identities"/>, or (unless <see cref="KubeSimOptions.RejectUnknownTokens"/>) a user name;
    /// the default <c>kubesim</c> is the cluster admin.
    /// </summary>
    public string KubeconfigYaml(string token = "kubesim") => Kubeconfig.Render(Url, token);

    /// <summary>
    /// A new client for this server that sends <paramref name="token"/> as its bearer token (see
    /// <see cref="KubeconfigYaml"/>), e.g. to act as a tenant with fewer rights. The caller disposes it.
    /// </summary>
    public Kubernetes CreateClient(string token = "kubesim")
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        return new Kubernetes(new KubernetesClientConfiguration { Host = ClientConfiguration.Host, AccessToken = token });
    }

    /// <summary>
    /// Calls <paramref name="handler"/> synchronously for every change of one resource (ADDED, MODIFIED, DELETED),
    /// without an API request, so observing does not show in <see cref="Requests"/>. Dispose the result to stop.
    /// </summary>
    public IDisposable Subscribe(ResourceId resource, Action<WatchEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Store.Subscribe(resource, handler);
    }

    /// <summary>Whether this server serves the resource (in any version), e.g. a CRD's plural once it is established.</summary>
    public bool Serves(string group, string plural) => Store.Registry.FindAnyVersion(group, plural) is not null;

    /// <summary>
    /// Writes a kubeconfig whose token names <paramref name="user"/> (KubeSim takes a bearer token as the user
    /// name), e.g. <see cref="RbacAuthorizer.ServiceAccountUser"/>, so a process's requests are logged — and, with
    /// <see cref="KubeSimOptions.EnforceRbac"/>, authorized — as that user.
    /// </summary>
    public void WriteKubeconfig(string path, string user) => File.WriteAllText(path, Kubeconfig.Render(Url, user));

    /// <summary>Ends every open watch; clients see the stream close and must re-watch.</summary>
    public void DropAllWatches() => Store.DropWatches();

    /// <summary>Stops Kestrel, every watch and every background loop.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        if (controllers is not null)
        {
            await controllers.DisposeAsync().ConfigureAwait(false);
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        var pumps = Store.CloseAll();
        dispatcher.AbortConnections(null);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        await Task.WhenAll(loops.Concat(pumps)).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        client.Dispose();
        stopping.Dispose();
    }

    // The garbage collector and namespace controller delete through admission, as their ServiceAccount users.
    private static async Task CollectGarbageAsync(ObjectStore store, AdmittedWrites writes, CancellationToken ct)
    {
        foreach (var deletion in store.CollectGarbage())
        {
            if (await writes.AdmitSystemDeleteAsync(deletion.Definition, deletion.Object, deletion.Actor, ct).ConfigureAwait(false))
            {
                store.DeletePlanned(deletion);
            }
        }
    }

    private async Task RunPeriodicAsync(string name, TimeSpan period, Func<CancellationToken, Task> tick)
    {
        using var timer = new PeriodicTimer(period, Options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    await tick(stopping.Token).ConfigureAwait(false);
                }
                catch (ApiException ex)
                {
                    // One failed pass must not stop the loop; the next tick retries.
                    LogLoopFailed(ex, name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposal.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A KubeSim {Loop} pass failed")]
    private partial void LogLoopFailed(Exception ex, string loop);
}
