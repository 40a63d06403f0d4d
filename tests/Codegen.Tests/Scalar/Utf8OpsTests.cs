using System.Text;
using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;
using Dsl.Codegen.Compilation;
using Dsl.Codegen.Scalar;
using Dsl.Codegen.Tests.Support;

namespace Dsl.Codegen.Tests.Scalar;

[TestFixture]
public sealed class Utf8OpsTests
{
    /// <summary>Row bytes including invalid UTF-8: stray continuation, truncated, overlong, encoded surrogate, 0xFF.</summary>
    private static readonly byte[][] s_rows =
    [
        [], "a"u8.ToArray(), "abc"u8.ToArray(), "Straße"u8.ToArray(), "日本語"u8.ToArray(), "a🙂b"u8.ToArray(), [0x80], [0x61, 0xC3],
        [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF, 0x61], [0x61, 0xEF, 0xBF, 0xBD], [0xF0, 0x9F, 0x99], [0xE6, 0x97, 0xA5, 0x80, 0x61],
    ];

    private static readonly string[] s_constants = ["", "a", "b", "ab", "ß", "日本", "🙂", "\uFFFD", "\uFFFDa", "a\uFFFD"];

    [Test]
    public void Operations_EveryRowAndConstant_EqualTheDecodedStringOperations()
    {
        var offsets = new int[s_rows.Length + 1];
        for (int r = 0; r < s_rows.Length; r++) offsets[r + 1] = offsets[r] + s_rows[r].Length;
        using var offsetBuffer = NativeBuffer.FromValues<int>(offsets);
        using var data = NativeBuffer.FromBytes(s_rows.SelectMany(r => r).ToArray());
        for (int r = 0; r < s_rows.Length; r++)
        {
            var text = Encoding.UTF8.GetString(s_rows[r]);
            Assert.That(Utf8Ops.Length(offsetBuffer.Address, data.Address, r, false, true), Is.EqualTo(text.Length), $"row {r}");
            Assert.That(Utf8Ops.IsNullOrEmpty(offsetBuffer.Address, data.Address, r, false, true), Is.EqualTo(string.IsNullOrEmpty(text)));
            foreach (var constant in s_constants)
            {
                var utf8 = Encoding.UTF8.GetBytes(constant);
                string where = $"row {r} ({text}), constant \"{constant}\"";
                Assert.That(Utf8Ops.EqualsConstant(offsetBuffer.Address, data.Address, r, false, true, utf8, constant), Is.EqualTo(text == constant), where);
                Assert.That(Utf8Ops.StartsWith(offsetBuffer.Address, data.Address, r, false, true, utf8, constant), Is.EqualTo(text.StartsWith(constant, StringComparison.Ordinal)), where);
                Assert.That(Utf8Ops.EndsWith(offsetBuffer.Address, data.Address, r, false, true, utf8, constant), Is.EqualTo(text.EndsWith(constant, StringComparison.Ordinal)), where);
                Assert.That(Utf8Ops.Contains(offsetBuffer.Address, data.Address, r, false, true, utf8, constant), Is.EqualTo(text.Contains(constant)), where);
            }
        }
    }

    [Test]
    public void Operations_NullRow_ThrowLikeInstanceCallsOnNull()
    {
        using var offsetBuffer = NativeBuffer.FromValues<int>([0, 0]);
        Assert.Throws<NullReferenceException>(() => Utf8Ops.Length(offsetBuffer.Address, 0, 0, false, false));
        Assert.Throws<NullReferenceException>(() => Utf8Ops.Contains(offsetBuffer.Address, 0, 0, false, false, [], ""));
        Assert.That(Utf8Ops.EqualsConstant(offsetBuffer.Address, 0, 0, false, false, "a"u8.ToArray(), "a"), Is.False);
        Assert.That(Utf8Ops.IsNullOrEmpty(offsetBuffer.Address, 0, 0, false, false), Is.True);
    }

    [Test]
    public void IsWellFormed_LoneSurrogate_IsNot()
    {
        Assert.That(Utf8Ops.IsWellFormed("a\uD800"), Is.False);
        Assert.That(Utf8Ops.IsWellFormed("🙂"), Is.True);
    }

    [TestCase("Utf8Compare")]
    [TestCase("Utf8NullSafeLength")]
    [TestCase("StringLength")]
    public void Compile_ByteLevelStringUses_NeverDecodeTheRow(string name)
    {
        var @case = IrCases.Named(name);
        var kernel = KernelCompiler.Compile(@case.Ir, @case.Inputs);
        Assert.That(kernel.Text, Does.Contain("Utf8Ops.").And.Not.Contain("Utf8String("));
    }

    [Test]
    public void Compile_StringUsedOtherwise_ReadsTheString()
    {
        var kernel = KernelCompiler.Compile(IrCases.Named("StringUpper").Ir, [StringType.Default]);
        Assert.That(kernel.Text, Does.Contain("ReadUtf8String("));
    }
}
