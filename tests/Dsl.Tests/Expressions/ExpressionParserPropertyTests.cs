using System.Reflection;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static Dsl.Tests.Expressions.ExpressionGenerators;

namespace Dsl.Tests.Expressions;

/// <summary>
/// Differential tests: a generated expression string, parsed by <see cref="StringExpression"/>, evaluates
/// equal (value, or exception type) to the same text compiled by Roslyn as a C# lambda body.
/// </summary>
public sealed class ExpressionParserPropertyTests
{
    private const int ExpressionCount = 200;

    private static readonly object?[][] ColumnValues =
    [
        [0.0, -0.0, 1.5, -1000.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, 1e-300, 1001.0],
        [null, 0.0, double.NaN, 2.5, double.NegativeInfinity, -3.0],
        [0, 1, -1, int.MinValue, int.MaxValue, 7],
        [null, 0L, long.MaxValue, -5L, long.MinValue],
        [true, false],
        [null, "", "Ab@Gmail.com", "é ü", " a b ", "a"],
    ];

    [Test]
    public void Parse_GeneratedExpressions_EvaluateEqualToTheSameCSharpLambda()
    {
        var kinds = Enum.GetValues<Kind>();
        var texts = Gen.Elements(kinds).SelectMany(kind => Of(kind, 4)).Sample(ExpressionCount, ExpressionCount).Distinct().ToList();
        var reference = CompileWithRoslyn(texts);
        var random = new Random(20261121);
        var compared = 0;

        foreach (var (text, index) in texts.Select((t, i) => (t, i)))
        {
            var parsed = StringExpression.Parse(text, Schema);
            var function = parsed.Lambda.Compile();
            var expected = reference.GetMethod("E" + index);
            if (expected is null) continue; // C# rejects constant overflow or constant division by zero at compile time.
            for (var row = 0; row < 12; row++)
            {
                var values = ColumnValues.Select(column => column[random.Next(column.Length)]).ToArray();
                var arguments = parsed.Lambda.Parameters.Select(p => values[Schema.Keys.ToList().IndexOf(p.Name!)]).ToArray();
                var actual = Outcome(() => function.DynamicInvoke(arguments));
                var wanted = Outcome(() => expected.Invoke(null, values));
                Assert.That(actual, Is.EqualTo(wanted), $"{text} with ({string.Join(", ", values.Select(v => v ?? "null"))})");
                compared++;
            }
        }
        TestContext.Out.WriteLine($"compared {compared} rows of {texts.Count} expressions; sample: {texts[0]}");
        Assert.That(compared, Is.GreaterThan(ExpressionCount * 12 / 2), "most generated expressions must be compared");
    }

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property Parse_AnyWellFormedExpression_ReachesOnlyFeaturesOperatorsAndTheCatalogue() =>
        Prop.ForAll(Arb.From(Gen.Elements(Enum.GetValues<Kind>()).SelectMany(kind => Of(kind, 4))), text =>
        {
            var lambda = StringExpression.Parse(text, Schema).Lambda;
            var audit = new ReachAudit();
            audit.Visit(lambda.Body);
            return audit.Forbidden.Count == 0 && lambda.Parameters.All(p => Schema.ContainsKey(p.Name!));
        });

    /// <summary>Collects every node that could reach code other than the catalogue, string concatenation and BCL operators.</summary>
    private sealed class ReachAudit : System.Linq.Expressions.ExpressionVisitor
    {
        public List<System.Linq.Expressions.Expression> Forbidden { get; } = [];

        public override System.Linq.Expressions.Expression? Visit(System.Linq.Expressions.Expression? node)
        {
            switch (node)
            {
                case System.Linq.Expressions.MethodCallExpression call
                    when call.Method.DeclaringType != typeof(F) && call.Method != typeof(string).GetMethod(nameof(string.Concat), [typeof(string), typeof(string)]):
                case System.Linq.Expressions.NewExpression or System.Linq.Expressions.MemberExpression or System.Linq.Expressions.InvocationExpression
                    or System.Linq.Expressions.LambdaExpression or System.Linq.Expressions.BlockExpression:
                case System.Linq.Expressions.BinaryExpression { Method: { } method } when method.DeclaringType?.Namespace != "System":
                    Forbidden.Add(node);
                    break;
            }
            return base.Visit(node);
        }
    }

    [FsCheck.NUnit.Property(MaxTest = 1000)]
    public Property Parse_Garbage_ThrowsOnlyParseErrors() =>
        Prop.ForAll(Arb.From(Garbage()), text =>
        {
            try
            {
                StringExpression.Parse(text, Schema).Lambda.Compile();
            }
            catch (ExpressionParseException)
            {
            }
        });

    private static object? Outcome(Func<object?> evaluate)
    {
        try
        {
            return evaluate();
        }
        catch (TargetInvocationException e)
        {
            return e.InnerException!.GetType().FullName;
        }
    }

    /// <summary>Compiles every text as <c>public static object E{i}(…) =&gt; (object)(text);</c>, dropping those C# rejects.</summary>
    private static Type CompileWithRoslyn(List<string> texts)
    {
        var parameters = "double x, double? y, int n, long? m, bool flag, string s";
        var methods = texts.Select((t, i) => $"public static object E{i}({parameters}) => (object)({t});").ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll")
            .Append(typeof(F).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p))
            .ToList();
        while (true)
        {
            var source = "#nullable disable\nusing System; using Dsl;\npublic static class Reference {\n" + string.Join("\n", methods) + "\n}";
            var compilation = CSharpCompilation.Create("Reference" + Guid.NewGuid().ToString("N"), [CSharpSyntaxTree.ParseText(source)], references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            using var stream = new MemoryStream();
            var result = compilation.Emit(stream);
            if (result.Success) return Assembly.Load(stream.ToArray()).GetType("Reference")!;
            var failing = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => d.Location.GetLineSpan().StartLinePosition.Line - 3).ToHashSet();
            Assert.That(failing.All(line => line >= 0 && line < methods.Count), Is.True, string.Join("\n", result.Diagnostics));
            foreach (var line in failing) methods[line] = "";
        }
    }
}
