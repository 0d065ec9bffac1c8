using System.Collections;
using System.Text.RegularExpressions;
using Cel;

namespace KubeSim.Cel;

/// <summary>
/// The Kubernetes CEL extensions CRD rules use most, added to the Cel package's standard library: the strings
/// extension (charAt, indexOf, lastIndexOf, lowerAscii, upperAscii, replace, split, substring, trim, join), the
/// Kubernetes list library (isSorted, sum, min, max, indexOf, lastIndexOf), the regex library (find, findAll)
/// and the optional accessors rules with optionalOldSelf use (hasValue, value, orValue).
/// </summary>
internal static class KubernetesCelLibrary
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public static void Register(CelEnvironment env)
    {
        RegisterStrings(env);
        foreach (var list in new[] { typeof(List<object?>), typeof(object[]) })
        {
            RegisterLists(env, list);
        }

        env.RegisterFunction("hasValue", [typeof(CelOptional)], a => ((CelOptional)a[0]!).HasValue);
        env.RegisterFunction("value", [typeof(CelOptional)], a => ((CelOptional)a[0]!) is { HasValue: true } o ? o.Value : throw new InvalidOperationException("optional.none() dereference"));
        env.RegisterFunction("orValue", [typeof(CelOptional), typeof(object)], a => ((CelOptional)a[0]!) is { HasValue: true } o ? o.Value : a[1]);
    }

    private static void RegisterStrings(CelEnvironment env)
    {
        var s = typeof(string);
        var i = typeof(long);
        env.RegisterFunction("charAt", [s, i], a => Str(a, 0) is var text && Int(a, 1) is var at && at == text.Length ? "" : text[Index(text, at)].ToString());
        env.RegisterFunction("indexOf", [s, s], a => (long)Str(a, 0).IndexOf(Str(a, 1), StringComparison.Ordinal));
        env.RegisterFunction("indexOf", [s, s, i], a => (long)Str(a, 0).IndexOf(Str(a, 1), Index(Str(a, 0), Int(a, 2), allowEnd: true), StringComparison.Ordinal));
        env.RegisterFunction("lastIndexOf", [s, s], a => (long)Str(a, 0).LastIndexOf(Str(a, 1), StringComparison.Ordinal));
        env.RegisterFunction("lowerAscii", [s], a => string.Concat(Str(a, 0).Select(c => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c)));
        env.RegisterFunction("upperAscii", [s], a => string.Concat(Str(a, 0).Select(c => c is >= 'a' and <= 'z' ? (char)(c - 32) : c)));
        env.RegisterFunction("replace", [s, s, s], a => Str(a, 0).Replace(Str(a, 1), Str(a, 2), StringComparison.Ordinal));
        env.RegisterFunction("split", [s, s], a => Str(a, 0).Split(Str(a, 1)).Cast<object?>().ToList());
        env.RegisterFunction("substring", [s, i], a => Str(a, 0)[Index(Str(a, 0), Int(a, 1), allowEnd: true)..]);
        env.RegisterFunction("substring", [s, i, i], a => Str(a, 0)[Index(Str(a, 0), Int(a, 1), allowEnd: true)..Index(Str(a, 0), Int(a, 2), allowEnd: true)]);
        env.RegisterFunction("trim", [s], a => Str(a, 0).Trim());
        env.RegisterFunction("find", [s, s], a => Regex.Match(Str(a, 0), Str(a, 1), RegexOptions.None, RegexTimeout) is { Success: true } m ? m.Value : "");
        env.RegisterFunction("findAll", [s, s], a => Regex.Matches(Str(a, 0), Str(a, 1), RegexOptions.None, RegexTimeout).Select(m => (object?)m.Value).ToList());
    }

    private static void RegisterLists(CelEnvironment env, Type list)
    {
        env.RegisterFunction("join", [list], a => string.Concat(Items(a[0]).Select(x => x as string ?? throw new InvalidOperationException("join: list of strings required"))));
        env.RegisterFunction("join", [list, typeof(string)], a => string.Join(Str(a, 1), Items(a[0]).Select(x => x as string ?? throw new InvalidOperationException("join: list of strings required"))));
        env.RegisterFunction("isSorted", [list], a => Items(a[0]).Zip(Items(a[0]).Skip(1)).All(p => Compare(p.First, p.Second) <= 0));
        env.RegisterFunction("sum", [list], a => Sum(Items(a[0])));
        env.RegisterFunction("min", [list], a => Items(a[0]).Count == 0 ? throw new InvalidOperationException("min called on empty list") : Items(a[0]).Aggregate((x, y) => Compare(x, y) <= 0 ? x : y));
        env.RegisterFunction("max", [list], a => Items(a[0]).Count == 0 ? throw new InvalidOperationException("max called on empty list") : Items(a[0]).Aggregate((x, y) => Compare(x, y) >= 0 ? x : y));
        foreach (var element in new[] { typeof(object), typeof(long), typeof(double), typeof(string), typeof(bool) })
        {
            env.RegisterFunction("indexOf", [list, element], a => (long)Items(a[0]).FindIndex(x => Equals(x, a[1])));
            env.RegisterFunction("lastIndexOf", [list, element], a => (long)Items(a[0]).FindLastIndex(x => Equals(x, a[1])));
        }
    }

    private static object Sum(List<object?> items)
    {
        if (items.All(x => x is long))
        {
            return items.Aggregate(0L, (total, x) => checked(total + (long)x!));
        }

        return items.Aggregate(0.0, (total, x) => total + Convert.ToDouble(x, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static int Compare(object? x, object? y) => (x, y) switch
    {
        (string a, string b) => string.CompareOrdinal(a, b),
        (IComparable a, _) when y is not null && a.GetType() == y.GetType() => a.CompareTo(y),
        (long or double or int, long or double or int) => Convert.ToDouble(x, System.Globalization.CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(y, System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new InvalidOperationException("no such overload: values are not comparable"),
    };

    private static List<object?> Items(object? value) => value is IEnumerable e and not string ? [.. e.Cast<object?>()] : throw new InvalidOperationException("no such overload: a list is required");

    private static string Str(object?[] args, int i) => args[i] as string ?? throw new InvalidOperationException("no such overload: a string is required");

    private static long Int(object?[] args, int i) => args[i] is long l ? l : Convert.ToInt64(args[i], System.Globalization.CultureInfo.InvariantCulture);

    private static int Index(string text, long at, bool allowEnd = false) =>
        at < 0 || at > text.Length || (!allowEnd && at == text.Length) ? throw new ArgumentOutOfRangeException(nameof(at), $"index out of range: {at}") : (int)at;
}
