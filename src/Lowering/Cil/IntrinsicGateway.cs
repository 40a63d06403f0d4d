using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Intrinsics;

namespace Dsl.Lowering.Cil;

/// <summary>
/// The interpreter's one door to the intrinsic table (<c>Dsl.Lowering.Intrinsics.IntrinsicTable.TryLower</c>),
/// found once by name so this stage builds and runs whether or not the table is present. Until it is,
/// static <see cref="Math"/>/<see cref="MathF"/> methods lower to a call of the very same method, which is
/// exact by construction.
/// </summary>
internal static class IntrinsicGateway
{
    private static readonly IntrinsicLowering? Table = FindTable();

    /// <summary>True when the intrinsic table is part of this build.</summary>
    public static bool HasTable => Table is not null;

    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        if (Table is not null)
        {
            var answer = Table(method, instance, arguments);
            if (answer.IsLowered || answer.Unsupported is not null) return answer;
        }

        if (method is MethodInfo { IsStatic: true } info && (info.DeclaringType == typeof(Math) || info.DeclaringType == typeof(MathF))
            && info.ReturnType != typeof(void) && info.GetParameters().All(p => p.ParameterType.IsPrimitive))
            return IntrinsicCall.Lowered(Expression.Call(info, arguments));
        return IntrinsicCall.NotIntrinsic;
    }

    private static IntrinsicLowering? FindTable()
    {
        var type = typeof(IntrinsicGateway).Assembly.GetType("Dsl.Lowering.Intrinsics.IntrinsicTable");
        var method = type?.GetMethod("TryLower", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static,
            [typeof(MethodBase), typeof(Expression), typeof(IReadOnlyList<Expression>)]);
        return method is null ? null : method.CreateDelegate<IntrinsicLowering>();
    }
}
