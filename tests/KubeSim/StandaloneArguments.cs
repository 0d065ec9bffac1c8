using System.Globalization;

namespace KubeSim;

/// <summary>The standalone program's command line: every <see cref="KubeSimOptions"/> setting as a flag.</summary>
internal sealed record StandaloneArguments(KubeSimOptions Options, string? Kubeconfig, string? UsersFile, bool Help)
{
    public const string Usage = """
        usage: KubeSim [flags]
        Serves a Kubernetes API server double on 127.0.0.1 until SIGTERM/SIGINT; prints its URL on the first line.

          --port N                      TCP port on 127.0.0.1 (default 0: a free port)
          --kubeconfig PATH             write a kubeconfig for the server (token "kubesim": cluster admin)
          --enforce-rbac                refuse requests the stored RBAC objects do not allow (403)
          --users FILE                  static token file, one "token,user,uid,\"group1,group2\"" per line
          --reject-unknown-tokens       answer 401 to bearer tokens not in --users (default: the token is the user name)
          --webhook-service NS/NAME:PORT=URL
                                        send webhook calls for service NAME in NS on PORT to URL (repeatable)
          --pod-ready-delay DURATION    how long a simulated pod takes to become Ready (default 200ms)
          --controller-lag DURATION     delay before workload controllers act on a new generation (default 0)
          --no-controllers              do not run the simulated workload controllers
          --node-count N                simulated nodes, i.e. pods per DaemonSet (default 1)
          --gc-interval DURATION        period of the garbage collector and namespace controller (default 50ms)
          --bookmark-interval DURATION  period of watch BOOKMARK events (default 1s)
          --watch-history N             watch events kept for resume before 410 Gone (default 10000)
          -h, --help                    print this help and exit

        DURATION is a Go duration such as 250ms, 2s or 1m30s.
        """;

    /// <summary>Parses the arguments; throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static StandaloneArguments Parse(IReadOnlyList<string> args)
    {
        var options = new KubeSimOptions();
        string? kubeconfig = null;
        string? users = null;
        var services = new Dictionary<string, Uri>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"flag needs an argument: {flag}");
            switch (flag)
            {
                case "-h" or "--help":
                    return new StandaloneArguments(options, null, null, Help: true);
                case "--port":
                    options = options with { Port = Integer(flag, Value(), 0, 65535) };
                    break;
                case "--kubeconfig":
                    kubeconfig = Value();
                    break;
                case "--enforce-rbac":
                    options = options with { EnforceRbac = true };
                    break;
                case "--users":
                    users = Value();
                    break;
                case "--reject-unknown-tokens":
                    options = options with { RejectUnknownTokens = true };
                    break;
                case "--webhook-service":
                    var (key, url) = Service(Value());
                    services[key] = url;
                    break;
                case "--pod-ready-delay":
                    options = options with { PodReadyDelay = Duration(flag, Value()) };
                    break;
                case "--controller-lag":
                    options = options with { ControllerLag = Duration(flag, Value()) };
                    break;
                case "--no-controllers":
                    options = options with { RunControllers = false };
                    break;
                case "--node-count":
                    options = options with { NodeCount = Integer(flag, Value(), 1, 1000) };
                    break;
                case "--gc-interval":
                    options = options with { GarbageCollectionInterval = Positive(flag, Duration(flag, Value())) };
                    break;
                case "--bookmark-interval":
                    options = options with { BookmarkInterval = Positive(flag, Duration(flag, Value())) };
                    break;
                case "--watch-history":
                    options = options with { WatchHistoryWindow = Integer(flag, Value(), 1, int.MaxValue) };
                    break;
                default:
                    throw new FormatException($"unknown argument '{flag}' (see --help)");
            }
        }

        return new StandaloneArguments(options with { WebhookServiceEndpoints = services }, kubeconfig, users, Help: false);
    }

    private static int Integer(string flag, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{flag}: '{text}' is not an integer between {min} and {max}");

    private static TimeSpan Duration(string flag, string text) =>
        GoDuration.TryParse(text, out var duration) && duration >= TimeSpan.Zero
            ? duration
            : throw new FormatException($"{flag}: '{text}' is not a duration such as 250ms, 2s or 1m30s");

    private static TimeSpan Positive(string flag, TimeSpan duration) =>
        duration > TimeSpan.Zero ? duration : throw new FormatException($"{flag}: must be greater than zero");

    private static (string Key, Uri Url) Service(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var colon = text.LastIndexOf(':', equals < 0 ? text.Length - 1 : equals);
        if (equals < 0 || slash < 1 || colon < slash
            || !int.TryParse(text[(colon + 1)..equals], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port)
            || !Uri.TryCreate(text[(equals + 1)..], UriKind.Absolute, out var url) || url.Scheme != "https")
        {
            throw new FormatException($"--webhook-service: '{text}' is not NAMESPACE/NAME:PORT=https://HOST:PORT");
        }

        return (KubeSimAdmission.Key(text[..slash], text[(slash + 1)..colon], port), url);
    }
}
