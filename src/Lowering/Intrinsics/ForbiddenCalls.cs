using System.Diagnostics;
using System.Linq.Expressions;
using System.Reflection;
using System.Security.Cryptography;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// Calls that can never be lowered exactly because their answer is not a function of their arguments: the clock,
/// randomness, the environment, the machine's time zone, per-process randomized hashing, and I/O.
/// </summary>
internal static class ForbiddenCalls
{
    private static readonly HashSet<string> s_clock = ["get_Now", "get_UtcNow", "get_Today"];

    private static readonly HashSet<string> s_timeZone =
        ["ToLocalTime", "ToUniversalTime", "IsDaylightSavingTime", "ToFileTime", "ToFileTimeUtc", "FromFileTime", "ToBinary", "FromBinary"];

    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        var type = method.DeclaringType!;
        var name = method.Name;
        var what = ExactCall.Describe(method);
        if (type == typeof(Random) || type == typeof(RandomNumberGenerator) || type == typeof(Environment)
            || type == typeof(Stopwatch) || type == typeof(TimeProvider) || (type == typeof(Guid) && name.StartsWith("NewGuid", StringComparison.Ordinal)))
            return IntrinsicCall.Refused("non-deterministic", $"{what} gives a different answer on each call or machine.");
        if ((type == typeof(DateTime) || type == typeof(DateTimeOffset)) && s_clock.Contains(name))
            return IntrinsicCall.Refused("non-deterministic", $"{what} reads the clock.");
        if (type == typeof(DateTime) && s_timeZone.Contains(name))
            return IntrinsicCall.Refused("timezone", $"{what} depends on the machine's time zone.");
        if (type == typeof(HashCode) || (name == nameof(GetHashCode) && (type == typeof(string) || type == typeof(object))))
            return IntrinsicCall.Refused("non-deterministic", $"{what} is randomized per process.");
        if (type == typeof(Console) || type == typeof(Process) || type == typeof(Debug) || IsIoNamespace(type.Namespace))
            return IntrinsicCall.Refused("io", $"{what} performs I/O or has side effects.");
        return IntrinsicCall.NotIntrinsic;
    }

    private static bool IsIoNamespace(string? ns) =>
        ns is not null && (ns == "System.IO" || ns.StartsWith("System.IO.", StringComparison.Ordinal)
            || ns.StartsWith("System.Net", StringComparison.Ordinal) || ns == "System.Threading" || ns == "System.Threading.Tasks");
}
