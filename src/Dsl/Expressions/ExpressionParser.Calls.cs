using System.Linq.Expressions;
using System.Reflection;
using static Dsl.Expressions.ImplicitConversions;

namespace Dsl.Expressions;

internal sealed partial class ExpressionParser
{
    /// <summary>
    /// The catalogue by name: the public static methods declared on <see cref="F"/> and nothing else
    /// (not even <see cref="object"/>'s static methods), so a string cannot reach any other code.
    /// </summary>
    private static readonly Dictionary<string, MethodInfo[]> Catalogue = typeof(F)
        .GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
        .GroupBy(m => m.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>The names in the catalogue, for messages and documentation checks.</summary>
    public static IReadOnlyCollection<string> FunctionNames => Catalogue.Keys;

    private Expression ParseCall(Token f)
    {
        Advance(); // '.'
        var name = Expect(TokenKind.Identifier, "a function name after 'F.'");
        if (!Catalogue.TryGetValue(name.Text, out var overloads))
        {
            var suggestion = Catalogue.Keys.FirstOrDefault(k => string.Equals(k, name.Text, StringComparison.OrdinalIgnoreCase))
                ?? Features.FeatureNames.Suggest(name.Text, Catalogue.Keys);
            throw Error($"Unknown function 'F.{name.Text}'" + (suggestion is null ? "" : $" (did you mean 'F.{suggestion}'?)"), name);
        }
        Expect(TokenKind.OpenParen, $"'(' after 'F.{name.Text}'");
        var arguments = new List<Expression>();
        if (Current.Kind != TokenKind.CloseParen)
        {
            while (true)
            {
                arguments.Add(ParseExpression());
                if (Current.Kind != TokenKind.Comma) break;
                Advance();
            }
        }
        Expect(TokenKind.CloseParen, "')' or ','");
        var method = ResolveOverload(name, overloads, arguments);
        var parameters = method.GetParameters();
        return Expression.Call(method, arguments.Select((a, i) => Apply(a, parameters[i].ParameterType)));
    }

    private MethodInfo ResolveOverload(Token name, MethodInfo[] overloads, List<Expression> arguments)
    {
        var applicable = new List<MethodInfo>();
        foreach (var overload in overloads)
        {
            if (overload.GetParameters().Length != arguments.Count) continue;
            var method = overload.IsGenericMethodDefinition ? InferGeneric(overload, arguments) : overload;
            if (method is null) continue;
            var parameters = method.GetParameters();
            if (arguments.Select((a, i) => Exists(a.Type, parameters[i].ParameterType)).All(ok => ok)) applicable.Add(method);
        }

        var signature = $"F.{name.Text}({string.Join(", ", arguments.Select(a => Describe(a.Type)))})";
        if (applicable.Count == 0)
        {
            var shapes = string.Join("; ", overloads.Select(DescribeMethod));
            throw Error($"No overload of F.{name.Text} takes ({string.Join(", ", arguments.Select(a => Describe(a.Type)))}); it has: {shapes}", name);
        }
        var best = applicable.Where(m => applicable.All(other => other == m || IsBetter(m, other, arguments))).ToList();
        if (best.Count != 1) throw Error($"The call {signature} is ambiguous between {string.Join(" and ", applicable.Select(DescribeMethod))}", name);
        return best[0];
    }

    /// <summary>C# betterness: no argument converts worse, and at least one converts better.</summary>
    private static bool IsBetter(MethodInfo candidate, MethodInfo other, List<Expression> arguments)
    {
        var a = candidate.GetParameters();
        var b = other.GetParameters();
        var strictlyBetter = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            var comparison = CompareConversions(arguments[i].Type, a[i].ParameterType, b[i].ParameterType);
            if (comparison < 0) return false;
            if (comparison > 0) strictlyBetter = true;
        }
        return strictlyBetter;
    }

    /// <summary>+1 when converting to <paramref name="first"/> is better than to <paramref name="second"/>, -1 when worse.</summary>
    private static int CompareConversions(Type argument, Type first, Type second)
    {
        if (first == second) return 0;
        if (argument == first) return 1;
        if (argument == second) return -1;
        var firstToSecond = Exists(first, second);
        var secondToFirst = Exists(second, first);
        return firstToSecond && !secondToFirst ? 1 : secondToFirst && !firstToSecond ? -1 : 0;
    }

    /// <summary>
    /// Infers the single type parameter of a catalogue generic (<c>IfThenElse&lt;T&gt;</c>, <c>Coalesce&lt;T&gt;</c>)
    /// from the arguments bound to <c>T</c> or <c>T?</c>: the bound every other bound converts to.
    /// </summary>
    private static MethodInfo? InferGeneric(MethodInfo definition, List<Expression> arguments)
    {
        var typeParameter = definition.GetGenericArguments().Single();
        var bounds = new List<Type>();
        var parameters = definition.GetParameters();
        for (var i = 0; i < parameters.Length; i++)
        {
            var argument = arguments[i].Type;
            if (argument == NullLiteralType) continue;
            var parameterType = parameters[i].ParameterType;
            if (parameterType == typeParameter) bounds.Add(argument);
            else if (Nullable.GetUnderlyingType(parameterType) == typeParameter) bounds.Add(Underlying(argument));
        }
        var fixedType = bounds.Distinct().FirstOrDefault(candidate => bounds.All(b => Exists(b, candidate)));
        if (fixedType is null) return null;
        try
        {
            return definition.MakeGenericMethod(fixedType);
        }
        catch (ArgumentException)
        {
            return null; // a constraint (struct) rejects the inferred type
        }
    }

    private static string DescribeMethod(MethodInfo method) =>
        $"{method.Name}({string.Join(", ", method.GetParameters().Select(p => ImplicitConversions.Describe(p.ParameterType)))})";
}
