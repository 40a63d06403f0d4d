using System.Linq.Expressions;
using Apache.Arrow.Types;
using Dsl.Codegen.Compilation;
using Dsl.Codegen.Scalar;
using Dsl.Codegen.Tests.Support;
using Dsl.Lowering;
using Dsl.TestSupport.Columns;

namespace Dsl.Codegen.Tests.Scalar;

/// <summary>
/// String features through the UTF-8 path: kernel == the delegate row by row (values, nulls, error rows) on
/// generated strings, and the kernel text shows that no row decodes a <see cref="string"/> where none is needed.
/// </summary>
[TestFixture]
public sealed class Utf8RewriterTests
{
    private static readonly int[] s_lengths = [0, 1, 7, 33, 1000];

    /// <summary>W3 of the side-by-side benchmark: the e-mail user name resolver.</summary>
    public static string UserName(string email)
    {
        var user = email.Split('@')[0];
        if (email.EndsWith("@gmail.com", StringComparison.Ordinal)) user = user.Split('+')[0].Replace(".", "");
        return user.ToLowerInvariant();
    }

    private static IEnumerable<TestCaseData> PureUtf8Cases()
    {
        yield return Case<string, string>("W3 user name", email =>
            (email.EndsWith("@gmail.com", StringComparison.Ordinal) ? email.Split('@')[0].Split('+')[0].Replace(".", "") : email.Split('@')[0]).ToLowerInvariant());
        yield return Case<string, string>("remove a byte then lower", s => s.Replace(".", "").ToLowerInvariant());
        yield return Case<string, string>("remove a letter then upper", s => s.Replace("I", null).ToUpperInvariant());
        yield return Case<string, string>("remove two bytes then lower", s => s.Replace("ab", "").ToLowerInvariant());
        yield return Case<string, string>("replace then case in arms", s =>
            (s.Length > 5 ? s.Replace("+", "") : s.Length > 2 ? (s + s + s + s + s + s + s + s).Replace(".", "") : s.Replace(".", "é")).ToUpperInvariant());
        yield return Case<string, string>("split part", s => s.Split(',')[1]);
        yield return Case<string, string>("split part by string", s => s.Split("ab")[0] + s.Split("@", StringSplitOptions.None)[1]);
        yield return Case<string, string>("trim and replace", s => s.Trim().Replace("-", "+"));
        yield return Case<string, string>("replace chars", s => s.Replace('.', '-').Replace("ß", null));
        yield return Case<string, int>("trim start length", s => s.TrimStart().Length + s.TrimEnd().Length * 100);
        yield return Case<string, bool>("trim equals", s => s.Trim() == "" || s.ToUpperInvariant().Contains("İ") || s.Trim().Equals("a"));
        yield return Case<string, string>("upper concat", s => s.ToUpperInvariant() + "!");
        yield return Case<string, string>("concat of parts", s => string.Concat(new[] { s, "|", s.ToLowerInvariant(), "|", s.Trim() }));
        yield return Case<string, string>("coalesce", s => s ?? "none");
        yield return Case<string, string?>("conditional null", s => s.Length > 2 ? s.Trim() : null);
        yield return Case<string, bool>("white space", s => string.IsNullOrWhiteSpace(s) || string.IsNullOrEmpty(s.Trim()));
        yield return Case<string, string, bool>("two columns", (s, t) => s.Trim() == t.Trim() || string.Equals(s.ToLowerInvariant(), t));
        yield return Case<string, string, string>("two column concat", (s, t) => s + t);
        yield return Case<string, string>("split part out of range", s => s.Split('@')[2]);
        yield return Case<string, int>("index of after trim", s => s.Trim().IndexOf(','));
        yield return Case<string, int>("index of string", s => s.IndexOf("ab", StringComparison.Ordinal) * 100 + s.IndexOf('+', StringComparison.Ordinal));
        yield return Case<string, bool>("ignore case", s =>
            s.EndsWith("@GMAIL.com", StringComparison.OrdinalIgnoreCase) || s.StartsWith("i", StringComparison.OrdinalIgnoreCase) || s.Equals("k", StringComparison.OrdinalIgnoreCase));
        yield return Case<string, string>("substring", s => s.Length > 2 ? s.Substring(1, 2) + s.Substring(s.Length - 1) : s.Substring(0, 1));
        yield return Case<string, string>("substring to a char", s => s.IndexOf('@') >= 0 ? s.Substring(0, s.IndexOf('@')).Replace(".", "", StringComparison.Ordinal) : s);
        yield return Case<string, int>("length of a substring", s => s.Substring(s.Length / 2).Length);
        yield return Case<string, int>("last index of", s =>
            s.LastIndexOf('@') * 10000 + s.Trim().LastIndexOf("ab", StringComparison.Ordinal) * 100 + s.LastIndexOf("🙂", StringComparison.Ordinal) + s.LastIndexOf('ſ'));
        yield return Case<string, int>("split count", s => s.Split('@').Length * 100 + s.Split("ab").Length * 10 + s.Trim().Split("🙂").Length);
        yield return Case<string, string>("pad", s => s.PadLeft(5) + "|" + s.Trim().PadRight(7, '.') + "|" + s.PadLeft(s.Length + 2, 'é') + s.Split('@')[0].PadLeft(3));
        yield return Case<string, string>("pad to a negative width", s => s.PadRight(s.Length - 2, '-'));
        yield return Case<string, string>("join", s => string.Join(", ", new[] { s, "x", s.Trim(), null }) + string.Join('+', new[] { s }) + string.Join(null, new[] { "a", s }));
        yield return Case<string, int>("char at", s =>
            s.Length > 3 ? (char.IsUpper(s[3]) ? 1 : 0) + (s[0] == 'a' ? 10 : 0) + (char.IsDigit(s[1]) ? 100 : 0) + (char.IsSurrogate(s[2]) ? 1000 : 0) + s[s.Length - 1] * 10000 : s[2]);
        yield return Case<string, string, int>("compare ordinal", (s, t) => string.CompareOrdinal(s, t) + 100000 * Math.Sign(string.CompareOrdinal(s.Trim(), "m")));
    }

    private static IEnumerable<TestCaseData> DecodingCases()
    {
        yield return Case<string, string>("pad with a char that is not constant", s => s.Trim().PadLeft(3, s.Length > 2 ? s[1] : '-'));
    }

    private static TestCaseData Case<T, TResult>(string name, Expression<Func<T, TResult>> ir) => new TestCaseData(name, ir).SetArgDisplayNames(name);

    private static TestCaseData Case<T1, T2, TResult>(string name, Expression<Func<T1, T2, TResult>> ir) => new TestCaseData(name, ir).SetArgDisplayNames(name);

    [TestCaseSource(nameof(PureUtf8Cases))]
    public void Kernel_StringWork_ReadsNoStringAndEqualsTheDelegate(string name, LambdaExpression ir)
    {
        var kernel = CompileAndCheck(name, ir);
        // A kernel with Substring also holds the string form of the row, run only for a row that cuts a surrogate pair.
        var utf8Path = kernel.Text.Split("catch (Utf8RowRetry)")[0];
        Assert.That(utf8Path, Does.Contain("Utf8Ops.").And.Not.Contain("Utf8String(").And.Not.Contain(nameof(Utf8Ops.ToStringOrNull)), name);
    }

    [TestCaseSource(nameof(DecodingCases))]
    public void Kernel_StringNeededByAnOperation_DecodesOnceAndEqualsTheDelegate(string name, LambdaExpression ir)
    {
        var kernel = CompileAndCheck(name, ir);
        Assert.That(kernel.Text, Does.Contain(nameof(Utf8Ops.ToStringOrNull)).And.Not.Contain("Utf8String("), name);
    }

    [Test]
    public void Kernel_OfLoweredUserNameMethod_UsesTheUtf8PathAndEqualsTheMethod()
    {
        Func<string, string> method = UserName;
        var lowered = Lowerer.Lower(method);
        Assert.That(lowered.Succeeded, Is.True, lowered.Fallback?.ToString());
        var kernel = CompileAndCheck("lowered W3", lowered.Ir!, method);
        // The last operation, the lower-casing, maps the text straight into the output; the gmail rows' dot removal is
        // fused with it, and where the method assigned it to its local only the null check is left.
        Assert.That(kernel.Text, Does.Contain("Utf8Ops.AppendCased").And.Contain("Utf8Ops.SplitPart").And.Not.Contain("Utf8String("));
        Assert.That(kernel.Text, Does.Contain("Utf8Ops.AppendReplacedCased").And.Not.Contain("Utf8Ops.Replace("));
        // The constants ("@", "@gmail.com", "+", ".", "") are built once, before the row loop; the one-byte splits search for a byte.
        var loopStart = kernel.Text.IndexOf("\n    loop", StringComparison.Ordinal);
        var (beforeLoop, rowLoop) = (kernel.Text[..loopStart], kernel.Text[loopStart..]);
        Assert.That(beforeLoop, Does.Contain("Utf8Text.OfAscii"));
        Assert.That(rowLoop, Does.Not.Contain("Utf8Text.OfAscii").And.Contain("Utf8Ops.SplitPartAtByte"));
    }

    /// <summary>A removal whose value is read again (a length test, a concatenation) before the case mapping.</summary>
    public static string DotlessThenLonger(string s)
    {
        var user = s.Split('@')[0];
        if (user.Length > 3) user = user.Replace(".", "");
        if (user.Length > 6) user += "!";
        return user.ToUpperInvariant();
    }

    /// <summary>A removal in one arm and a removal read again by the other: fused where it can be, the same answers.</summary>
    public static string DotlessEitherWay(string s)
    {
        var user = s.Replace("+", "");
        if (s.Length > 5) return s.Replace(".", "").ToLowerInvariant();
        return (user.Length > 2 ? user : s).ToLowerInvariant();
    }

    [TestCase(nameof(DotlessThenLonger))]
    [TestCase(nameof(DotlessEitherWay))]
    public void Kernel_OfLoweredRemovalThenCase_EqualsTheMethod(string name)
    {
        var method = typeof(Utf8RewriterTests).GetMethod(name)!.CreateDelegate<Func<string, string>>();
        var lowered = Lowerer.Lower(method);
        Assert.That(lowered.Succeeded, Is.True, lowered.Fallback?.ToString());
        CompileAndCheck(name, lowered.Ir!, method);
    }

    /// <summary>
    /// A case mapping as the row's result is written straight into the output range: short and long (vectorized, with
    /// and without letters to change) ASCII, text that is not ASCII (ſ, ı, ß, the Kelvin sign, emoji, a lone surrogate),
    /// empty and null (the string method's NullReferenceException, and nothing appended for the row).
    /// </summary>
    [Test]
    public void Kernel_CaseMappingAsTheResult_MapsIntoTheOutputAndEqualsTheDelegate()
    {
        Expression<Func<string, string>> lower = s => s.Trim().ToLowerInvariant();
        Expression<Func<string, string>> upper = s => s.Split('@')[0].ToUpperInvariant();
        object?[] values =
        [
            "John.DOE@x", new string('a', 70), new string('B', 64) + "@Q", "x" + new string('.', 80) + "Y", "ſtraße@ı.org", "\u212Aelvin@K",
            "🙂@a", "", null, "a\uD800b@C", "  MiXeD  ", "İi@x",
        ];
        IArrowType[] types = [StringType.Default];
        foreach (var (name, ir) in new (string, LambdaExpression)[] { ("lower", lower), ("upper", upper) })
        {
            var kernel = KernelCompiler.Compile(ir, types);
            Assert.That(kernel.Text, Does.Contain("Utf8Ops.AppendCased").And.Not.Contain("Utf8Ops.ToLowerInvariant").And.Not.Contain("Utf8Ops.ToUpperInvariant"), name);
            object?[][] columns = [values];
            var reference = KernelHarness.Reference(ir.Compile(), columns, values.Length);
            Assert.That(reference.Errors, Has.Count.EqualTo(1), "the null row fails in the delegate");
            KernelHarness.AssertSame(reference, KernelHarness.Run(kernel, types, columns, values.Length), $"{name}, whole");
            KernelHarness.AssertSame(reference, KernelHarness.Run(kernel, types, columns, values.Length, offset: 3, alwaysBitmap: true, rangeRows: 64, parallel: true),
                $"{name}, sliced and parallel");
        }
    }

    /// <summary>A switch over string constants with <c>or</c> patterns (Roslyn dispatches on length and characters, then compares).</summary>
    public static int Category(string s) => s switch
    {
        "a" or "b" => 1,
        "gmail.com" or "yahoo.com" or "hotmail.com" or "outlook.com" => 2,
        "ß" or "🙂" or "İstanbul" => 3,
        "x" or "y" or "z" or "ab" => 4,
        _ => s.Length > 0 && char.IsUpper(s[0]) ? 5 : 0,
    };

    [Test]
    public void Kernel_OfLoweredStringSwitch_ReadsNoStringAndEqualsTheMethod()
    {
        Func<string, int> method = Category;
        var lowered = Lowerer.Lower(method);
        Assert.That(lowered.Succeeded, Is.True, lowered.Fallback?.ToString());
        var kernel = CompileAndCheck("lowered string switch", lowered.Ir!, method);
        Assert.That(kernel.Text, Does.Contain("Utf8Ops.").And.Not.Contain("Utf8String(").And.Not.Contain(nameof(Utf8Ops.ToStringOrNull)));
        object?[] column = ["gmail.com", "outlook.com", "ß", "🙂", "İstanbul", "Zed", "ab", "x", "", null, "a"];
        var types = new IArrowType[] { StringType.Default };
        KernelHarness.AssertSame(KernelHarness.Reference(method, [column], column.Length), KernelHarness.Run(kernel, types, [column], column.Length), "every case");
    }

    [Test]
    public void Kernel_SubstringThroughASurrogatePair_RetriesTheRowOnStrings()
    {
        // "🙂" is two UTF-16 units: Substring(0, 1) keeps a lone surrogate, which the utf8 output writes as U+FFFD.
        Expression<Func<string, string>> ir = s => s.Substring(0, 1) + s.Substring(1);
        var types = new IArrowType[] { StringType.Default };
        var kernel = KernelCompiler.Compile(ir, types);
        object?[] column = ["🙂x", "ab", "🙂", "", null];
        var reference = KernelHarness.Reference(ir.Compile(), [column], column.Length);
        KernelHarness.AssertSame(reference, KernelHarness.Run(kernel, types, [column], column.Length), "surrogate cut");
        Assert.That(kernel.Text, Does.Contain("catch (Utf8RowRetry)"));
    }

    [Test]
    public void Kernel_AssignedStringParameter_KeepsTheStringPath()
    {
        var s = Expression.Parameter(typeof(string), "s");
        var body = Expression.Block(Expression.Assign(s, Expression.Call(s, nameof(string.Trim), null)), Expression.Property(s, nameof(string.Length)));
        var kernel = CompileAndCheck("assigned", Expression.Lambda<Func<string, int>>(body, s));
        Assert.That(kernel.Text, Does.Contain("ReadUtf8String("));
    }

    [Test]
    public unsafe void Kernel_UserName_AllocatesNothingPerRow()
    {
        Func<string, string> method = UserName;
        var kernel = KernelCompiler.Compile(Lowerer.Lower(method).Ir!, [StringType.Default]);
        long Allocated(int rows)
        {
            var values = Enumerable.Range(0, rows).Select(i => (object?)(i % 3 == 0 ? $"F.L+tag{i}@gmail.com" : $"Ü{i % 10}@example.org")).ToArray();
            using var input = TestArrays.Array(StringType.Default, values);
            using var output = OutputColumn.Create(kernel.OutputType, rows);
            using var frame = new KernelFrame([input], output, new RowErrorSink());
            kernel.Run(frame, 0, rows);
            long before = GC.GetAllocatedBytesForCurrentThread();
            kernel.Run(frame, 0, rows);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Allocated(100);
        long small = Allocated(1_000);
        long large = Allocated(11_000);
        // The output range allocates 4 bytes of offsets and 8 of text a row (the user names fit); any string or
        // array per row would add 24 bytes or more.
        Assert.That((large - small) / 10_000.0, Is.LessThan(13), $"allocated {small} bytes for 1,000 rows, {large} for 11,000");
    }

    /// <summary>
    /// The UTF-8 cases over columns of mostly ASCII e-mails whose few non-ASCII rows (emoji, ı, ſ, the Kelvin sign, İ, invalid
    /// UTF-8) sit at the edges of <see cref="Utf8Ops.AsciiBlockRows"/>-row blocks and of 64-row runs: the block-wise ASCII check
    /// of the reads and the ASCII fast paths after it give the delegate's answer on every row, whole, in parallel runs, sliced.
    /// </summary>
    [TestCaseSource(nameof(PureUtf8Cases))]
    public void Kernel_MostlyAsciiRowsWithNonAsciiAtBlockEdges_EqualsTheDelegate(string name, LambdaExpression ir)
    {
        int block = Utf8Ops.AsciiBlockRows;
        int rows = 2 * block + 130;
        string[] odd = ["🙂@gmail.com", "ı.X+y@gmail.com", "ſ@example.org", "\u212Aelvin@gmail.com", "İ@x", "a\uFFFD", "é", ""];
        int[] edges = [0, 63, 64, block - 1, block, block + 1, 2 * block - 1, 2 * block + 64, rows - 1];
        var types = ir.Parameters.Select(_ => (IArrowType)StringType.Default).ToArray();
        var kernel = KernelCompiler.Compile(ir, types);
        var columns = types.Select((_, k) => Enumerable.Range(0, rows).Select(r =>
        {
            int edge = Array.IndexOf(edges, r);
            return (object?)(edge >= 0 && (edge + k) % 3 != 2 ? odd[(edge + k) % odd.Length]
                : r % 97 == 5 ? null
                : $"{(r % 2 == 0 ? "John.Doe" : "j.d")}+t{r}@{(r % 3 == 0 ? "gmail.com" : "Example.org")}");
        }).ToArray()).ToArray();
        var reference = KernelHarness.Reference(ir.Compile(), columns, rows);
        KernelHarness.AssertSame(reference, KernelHarness.Run(kernel, types, columns, rows), $"{name}, whole");
        KernelHarness.AssertSame(reference, KernelHarness.Run(kernel, types, columns, rows, rangeRows: 64, parallel: true), $"{name}, 64-row runs in parallel");
        KernelHarness.AssertSame(reference, KernelHarness.Run(kernel, types, columns, rows, offset: 5, alwaysBitmap: true, rangeRows: block),
            $"{name}, sliced, block-sized runs");
    }

    private static IKernel CompileAndCheck(string name, LambdaExpression ir, Delegate? original = null)
    {
        var types = ir.Parameters.Select(_ => (IArrowType)StringType.Default).ToArray();
        var kernel = KernelCompiler.Compile(ir, types);
        var function = original ?? ir.Compile();
        foreach (int nullPercent in new[] { 0, 10, 100 })
        {
            var columns = types.Select((_, k) => Utf8Strings.Column(1000, nullPercent, seed: nullPercent + k)).ToArray();
            var reference = KernelHarness.Reference(function, columns, 1000);
            foreach (int length in s_lengths)
            {
                var expected = new KernelOutcome(reference.Values[..length], reference.Errors.Where(e => e.Row < length).ToList());
                var prefix = columns.Select(c => c[..length]).ToArray();
                KernelHarness.AssertSame(expected, KernelHarness.Run(kernel, types, prefix, length), $"{name}, {nullPercent}% nulls, length {length}");
                KernelHarness.AssertSame(expected, KernelHarness.Run(kernel, types, prefix, length, offset: 3, alwaysBitmap: true, rangeRows: 64, parallel: true),
                    $"{name}, {nullPercent}% nulls, length {length}, sliced and parallel");
            }
        }

        return kernel;
    }
}
