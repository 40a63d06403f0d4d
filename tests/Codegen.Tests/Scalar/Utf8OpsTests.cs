using System.Text;
using Dsl.Codegen.Scalar;
using Dsl.Codegen.Tests.Support;

namespace Dsl.Codegen.Tests.Scalar;

/// <summary>Each <see cref="Utf8Ops"/> operation against the same <see cref="string"/> operation on the decoded row.</summary>
[TestFixture]
public sealed class Utf8OpsTests
{
    /// <summary>Row bytes that are not valid UTF-8: stray continuation, truncated, overlong, encoded surrogate, 0xFF.</summary>
    private static readonly byte[][] s_invalidRows =
    [
        [0x80], [0x61, 0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF, 0x61], [0xF0, 0x9F, 0x99], [0xE6, 0x97, 0xA5, 0x80, 0x61], [0x20, 0xC2],
    ];

    private static readonly string[] s_constants = ["", "a", "b", "ab", ".", "@", "ß", "日本", "🙂", "\uFFFD", "\uFFFDa", "a\uFFFD", " ", "@gmail.com"];
    private static readonly string[] s_separators = ["@", "+", ".", " ", "ab", "🙂", "\u00A0", "ß"];

    /// <summary>The rows: edge and random strings as UTF-8, then the invalid rows.</summary>
    private static (byte[][] Rows, string[] Strings) Rows()
    {
        var strings = Utf8Strings.Sample(300, seed: 4);
        var rows = strings.Select(Encoding.UTF8.GetBytes).Concat(s_invalidRows).ToArray();
        return (rows, rows.Select(Encoding.UTF8.GetString).ToArray());
    }

    private static void ForEachRow(Action<Func<Utf8Text>, string, Utf8Arena> check)
    {
        var (rows, strings) = Rows();
        var offsets = new int[rows.Length + 1];
        for (int r = 0; r < rows.Length; r++) offsets[r + 1] = offsets[r] + rows[r].Length;
        using var offsetBuffer = NativeBuffers.Of<int>(offsets);
        using var data = NativeBuffers.Of<byte>(rows.SelectMany(r => r).ToArray());
        var arena = Utf8Arena.Rent();
        for (int r = 0; r < rows.Length; r++)
        {
            arena.Reset();
            int row = r;
            check(() => Utf8Ops.Read(offsetBuffer.Address, data.Address, row, rows.Length, false, true, arena, 0), strings[r], arena);
        }
    }

    private static string Outcome(Func<object?> operation)
    {
        try
        {
            return operation() switch { Utf8Text text => "\"" + text.ToStringOrNull() + "\"", var value => value?.ToString() ?? "null" };
        }
        catch (Exception e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    private static void Same(Func<object?> expected, Func<object?> actual, string what) =>
        Assert.That(Outcome(actual), Is.EqualTo(Outcome(() => expected() is string s ? "\"" + s + "\"" : expected())), what);

    [Test]
    public void Read_ValidRow_IsASliceAndInvalidRowIsItsDecoding()
    {
        ForEachRow((text, s, _) =>
        {
            Assert.That(text().ToStringOrNull(), Is.EqualTo(s));
            Assert.That(System.Text.Unicode.Utf8.IsValid(text().Bytes), Is.True, s);
        });
    }

    [Test]
    public void Predicates_EveryRowAndConstant_EqualTheStringOperations()
    {
        ForEachRow((text, s, _) =>
        {
            Assert.That(Utf8Ops.Length(text()), Is.EqualTo(s.Length), s);
            Assert.That(Utf8Ops.IsNullOrEmpty(text()), Is.EqualTo(string.IsNullOrEmpty(s)), s);
            Assert.That(Utf8Ops.IsNullOrWhiteSpace(text()), Is.EqualTo(string.IsNullOrWhiteSpace(s)), s);
            foreach (var constant in s_constants)
            {
                var c = Utf8Text.Of(Utf8Text.PinnedUtf8(constant));
                string where = $"\"{s}\", constant \"{constant}\"";
                Assert.That(Utf8Ops.Equal(text(), c), Is.EqualTo(s == constant), where);
                Assert.That(Utf8Ops.EqualsOrdinal(text(), c), Is.EqualTo(s.Equals(constant)), where);
                Assert.That(Utf8Ops.StartsWith(text(), c), Is.EqualTo(s.StartsWith(constant, StringComparison.Ordinal)), where);
                Assert.That(Utf8Ops.EndsWith(text(), c), Is.EqualTo(s.EndsWith(constant, StringComparison.Ordinal)), where);
                Assert.That(Utf8Ops.Contains(text(), c), Is.EqualTo(s.Contains(constant)), where);
            }
        });
    }

    [Test]
    public void SplitPart_EveryRowSeparatorAndIndex_EqualsSplitIndexed()
    {
        ForEachRow((text, s, _) =>
        {
            foreach (var separator in s_separators)
            {
                var utf8 = Utf8Text.Of(Utf8Text.PinnedUtf8(separator));
                for (int index = -1; index < 4; index++)
                {
                    Same(() => s.Split(separator)[index], () => Utf8Ops.SplitPart(text(), utf8, index), $"\"{s}\".Split(\"{separator}\")[{index}]");
                }
            }
        });
    }

    [Test]
    public void Trim_EveryRow_EqualsStringTrimIncludingNonAsciiWhiteSpace()
    {
        ForEachRow((text, s, _) =>
        {
            Assert.That(Utf8Ops.Trim(text()).ToStringOrNull(), Is.EqualTo(s.Trim()), s);
            Assert.That(Utf8Ops.TrimStart(text()).ToStringOrNull(), Is.EqualTo(s.TrimStart()), s);
            Assert.That(Utf8Ops.TrimEnd(text()).ToStringOrNull(), Is.EqualTo(s.TrimEnd()), s);
        });
    }

    [Test]
    public void Replace_EveryRowAndConstantPair_EqualsOrdinalReplace()
    {
        string[] olds = [".", "ab", "ß", "🙂", "@gmail.com", " ", "\uFFFD"];
        string[] news = ["", "x", "..", "日本", "🙂🙂"];
        ForEachRow((text, s, arena) =>
        {
            foreach (var oldValue in olds)
            {
                foreach (var newValue in news)
                {
                    var replaced = Utf8Ops.Replace(text(), Utf8Text.Of(Utf8Text.PinnedUtf8(oldValue)), Utf8Text.Of(Utf8Text.PinnedUtf8(newValue)), arena);
                    Assert.That(replaced.ToStringOrNull(), Is.EqualTo(s.Replace(oldValue, newValue)), $"\"{s}\".Replace(\"{oldValue}\", \"{newValue}\")");
                }
            }
        });
    }

    [Test]
    public void ChangeCase_EveryRow_EqualsInvariantCasing()
    {
        ForEachRow((text, s, arena) =>
        {
            Assert.That(Utf8Ops.ToLowerInvariant(text(), arena).ToStringOrNull(), Is.EqualTo(s.ToLowerInvariant()), s);
            Assert.That(Utf8Ops.ToUpperInvariant(text(), arena).ToStringOrNull(), Is.EqualTo(s.ToUpperInvariant()), s);
        });
    }

    [Test]
    public void ChangeCase_EveryBmpCharacterAndSupplementaryLetters_EqualsInvariantCasing()
    {
        var all = new StringBuilder();
        for (int c = 0x80; c < 0x10000; c++)
        {
            if (!char.IsSurrogate((char)c)) all.Append((char)c);
        }

        for (int c = 0x10400; c < 0x10500; c++) all.Append(char.ConvertFromUtf32(c));
        for (int c = 0x1E900; c < 0x1E944; c++) all.Append(char.ConvertFromUtf32(c));
        var s = all.ToString();
        using var data = NativeBuffers.Of<byte>(Encoding.UTF8.GetBytes(s));
        using var offsets = NativeBuffers.Of<int>([0, Encoding.UTF8.GetByteCount(s)]);
        var arena = Utf8Arena.Rent();
        var text = Utf8Ops.Read(offsets.Address, data.Address, 0, 1, false, true, arena, 0);
        Assert.That(Utf8Ops.ToLowerInvariant(text, arena).ToStringOrNull(), Is.EqualTo(s.ToLowerInvariant()));
        Assert.That(Utf8Ops.ToUpperInvariant(text, arena).ToStringOrNull(), Is.EqualTo(s.ToUpperInvariant()));
    }

    [Test]
    public void Concat_RowsAndNull_EqualsStringConcat()
    {
        ForEachRow((text, s, arena) =>
        {
            var at = Utf8Text.Of(Utf8Text.PinnedUtf8("@"));
            Assert.That(Utf8Ops.Concat(text(), at, arena).ToStringOrNull(), Is.EqualTo(s + "@"), s);
            Assert.That(Utf8Ops.Concat(Utf8Text.Null, text(), at, arena).ToStringOrNull(), Is.EqualTo(string.Concat(null, s, "@")), s);
            Assert.That(Utf8Ops.Concat(text(), Utf8Text.Null, text(), at, arena).ToStringOrNull(), Is.EqualTo(s + s + "@"), s);
        });
    }

    [Test]
    public void SameBytes_EveryLengthAndDifferingPosition_EqualsSequenceEqual()
    {
        // The inline compare reads two overlapping words: a difference at any byte, of either run, must show.
        var random = new Random(16);
        for (int length = 0; length <= 40; length++)
        {
            var a = new byte[length];
            random.NextBytes(a);
            Assert.That(Utf8Ops.SameBytes(a, (byte[])a.Clone()), Is.True, $"equal runs of {length} bytes");
            for (int at = 0; at < length; at++)
            {
                foreach (byte flip in new byte[] { 1, 0x80, 0xFF })
                {
                    var b = (byte[])a.Clone();
                    b[at] ^= flip;
                    Assert.That(Utf8Ops.SameBytes(a, b), Is.EqualTo(a.AsSpan().SequenceEqual(b)), $"{length} bytes, byte {at} xor {flip}");
                    Assert.That(Utf8Ops.SameBytes(b, a), Is.False, $"{length} bytes, byte {at} xor {flip}, swapped");
                }
            }

            Assert.That(Utf8Ops.SameBytes(a, new byte[length + 1]), Is.False, "runs of different lengths");
            // Slices at odd offsets of a longer run (the constant against a row's tail).
            var longer = new byte[length + 7];
            random.NextBytes(longer);
            a.CopyTo(longer, 3);
            Assert.That(Utf8Ops.SameBytes(longer.AsSpan(3, length), a), Is.True, $"a slice of {length} bytes at offset 3");
        }
    }

    [Test]
    public void IndexOf_EveryRowAndConstant_CountsUtf16UnitsLikeOrdinalIndexOf()
    {
        ForEachRow((text, s, _) =>
        {
            foreach (var constant in s_constants.Where(c => c.Length > 0).Concat(["+", ",", "a.b", ""]))
            {
                var c = Utf8Text.Of(Utf8Text.PinnedUtf8(constant));
                Assert.That(Utf8Ops.IndexOf(text(), c), Is.EqualTo(s.IndexOf(constant, StringComparison.Ordinal)), $"\"{s}\".IndexOf(\"{constant}\")");
            }
        });
    }

    [Test]
    public void IgnoreCase_EveryRowAndAsciiConstant_EqualsOrdinalIgnoreCase()
    {
        // ı, ſ and the Kelvin sign are not ASCII but fold to or from ASCII letters under OrdinalIgnoreCase.
        string[] constants = ["", "a", "AB", "@GMAIL.COM", "@gmail.com", "i", "I", "s", "k", "K", " ", "Z0"];
        ForEachRow((text, s, _) =>
        {
            foreach (var constant in constants)
            {
                var c = Utf8Text.Of(Utf8Text.PinnedUtf8(constant));
                string where = $"\"{s}\", constant \"{constant}\"";
                Assert.That(Utf8Ops.StartsWithIgnoreCase(text(), c), Is.EqualTo(s.StartsWith(constant, StringComparison.OrdinalIgnoreCase)), "StartsWith " + where);
                Assert.That(Utf8Ops.EndsWithIgnoreCase(text(), c), Is.EqualTo(s.EndsWith(constant, StringComparison.OrdinalIgnoreCase)), "EndsWith " + where);
                Assert.That(Utf8Ops.EqualsIgnoreCase(text(), c), Is.EqualTo(s.Equals(constant, StringComparison.OrdinalIgnoreCase)), "Equals " + where);
            }
        });
    }

    [Test]
    public void Substring_EveryRowStartAndLength_EqualsSubstringOrAsksForARetryOnALoneSurrogate()
    {
        ForEachRow((text, s, _) =>
        {
            for (int start = -1; start <= s.Length + 1; start++)
            {
                CheckSubstring(() => s.Substring(start), () => Utf8Ops.Substring(text(), start), $"\"{s}\".Substring({start})");
                for (int length = -1; length <= s.Length + 1 - Math.Max(start, 0); length++)
                {
                    CheckSubstring(() => s.Substring(start, length), () => Utf8Ops.Substring(text(), start, length), $"\"{s}\".Substring({start}, {length})");
                }
            }
        });
    }

    /// <summary>The same answer, or a retry exactly when .NET's answer holds a lone surrogate (which UTF-8 cannot).</summary>
    private static void CheckSubstring(Func<string> expected, Func<Utf8Text> actual, string what)
    {
        string? reference = null;
        try
        {
            reference = expected();
        }
        catch (ArgumentOutOfRangeException)
        {
        }

        if (reference is not null && !Utf8Ops.IsWellFormed(reference))
        {
            Assert.Throws<Utf8RowRetry>(() => actual(), what);
            return;
        }

        Same(() => expected(), () => actual(), what);
    }

    [Test]
    public void Operations_NullText_ThrowLikeInstanceCallsOnNull()
    {
        var arena = Utf8Arena.Rent();
        var empty = Utf8Text.Of(Utf8Text.PinnedUtf8(""));
        Assert.Throws<NullReferenceException>(() => Utf8Ops.Length(Utf8Text.Null));
        Assert.Throws<NullReferenceException>(() => Utf8Ops.Contains(Utf8Text.Null, empty));
        Assert.Throws<NullReferenceException>(() => Utf8Ops.SplitPart(Utf8Text.Null, Utf8Text.Of(Utf8Text.PinnedUtf8("@")), 0));
        Assert.Throws<NullReferenceException>(() => Utf8Ops.Trim(Utf8Text.Null));
        Assert.Throws<NullReferenceException>(() => Utf8Ops.ToLowerInvariant(Utf8Text.Null, arena));
        Assert.Throws<NullReferenceException>(() => Utf8Ops.Replace(Utf8Text.Null, empty, empty, arena));
        Assert.Throws<NullReferenceException>(() => Utf8Ops.IndexOf(Utf8Text.Null, empty));
        Assert.Throws<NullReferenceException>(() => Utf8Ops.EndsWithIgnoreCase(Utf8Text.Null, empty));
        Assert.Throws<NullReferenceException>(() => Utf8Ops.Substring(Utf8Text.Null, 0, 0));
        Assert.That(Utf8Ops.Equal(Utf8Text.Null, empty), Is.False);
        Assert.That(Utf8Ops.Equal(Utf8Text.Null, Utf8Text.Null), Is.True);
        Assert.That(Utf8Ops.IsNullOrEmpty(Utf8Text.Null), Is.True);
        Assert.That(Utf8Ops.IsNullOrWhiteSpace(Utf8Text.Null), Is.True);
        Assert.That(Utf8Ops.Concat(Utf8Text.Null, Utf8Text.Null, arena).ToStringOrNull(), Is.EqualTo(string.Empty));
    }

    [Test]
    public void IsWellFormed_LoneSurrogate_IsNot()
    {
        Assert.That(Utf8Ops.IsWellFormed("a\uD800"), Is.False);
        Assert.That(Utf8Ops.IsWellFormed("🙂"), Is.True);
    }
    [Test]
    public void Positions_EveryRowIndexAndConstant_EqualTheStringOperations()
    {
        ForEachRow((text, s, _) =>
        {
            for (int index = -1; index <= s.Length; index++)
            {
                int at = index;
                Same(() => s[at], () => Utf8Ops.CharAt(text(), at), $"\"{s}\"[{at}]");
            }

            foreach (var constant in s_constants.Where(c => c.Length > 0))
            {
                var c = Utf8Text.Of(Utf8Text.PinnedUtf8(constant));
                Same(() => s.LastIndexOf(constant, StringComparison.Ordinal), () => Utf8Ops.LastIndexOf(text(), c), $"\"{s}\".LastIndexOf(\"{constant}\")");
                Same(() => s.Split(constant).Length, () => Utf8Ops.SplitCount(text(), c), $"\"{s}\".Split(\"{constant}\").Length");
            }
        });
    }

    [Test]
    public void CompareOrdinal_EveryPairOfRowsAndNull_EqualsTheStringMethod()
    {
        var strings = Utf8Strings.Sample(60, seed: 9).Concat(["a\0", "\0", "\0a", "\0\0", "aa", "a", "A", "ab", "abc", "abcd", "abc\0", "abc\0x", "\uE000", "🙂", "\uFFFF"]).ToArray();
        var texts = strings.Select(x => (object?)x).Append(null).ToArray();
        foreach (var a in texts)
        {
            foreach (var b in texts)
            {
                var (left, right) = (Of(a as string), Of(b as string));
                Same(() => string.CompareOrdinal(a as string, b as string), () => Utf8Ops.CompareOrdinal(left, right), $"CompareOrdinal(\"{a}\", \"{b}\")");
            }
        }

        static Utf8Text Of(string? value) => value is null ? Utf8Text.Null : Utf8Text.Of(Utf8Text.PinnedUtf8(value));
    }

    [Test]
    public void Pad_EveryRowWidthAndPadding_EqualsTheStringMethods()
    {
        ForEachRow((text, s, arena) =>
        {
            foreach (var padding in new[] { ' ', '.', 'é', '日' })
            {
                var p = Utf8Text.Of(Utf8Text.PinnedUtf8(padding.ToString()));
                foreach (int width in new[] { -1, 0, s.Length - 1, s.Length, s.Length + 1, s.Length + 5, 70_000 })
                {
                    Same(() => s.PadLeft(width, padding), () => Utf8Ops.PadLeft(text(), width, p, arena), $"\"{s}\".PadLeft({width}, '{padding}')");
                    Same(() => s.PadRight(width, padding), () => Utf8Ops.PadRight(text(), width, p, arena), $"\"{s}\".PadRight({width}, '{padding}')");
                }
            }
        });
    }

    /// <summary>
    /// Mostly-ASCII rows with non-ASCII ones (an emoji, ı, ſ, the Kelvin sign, invalid bytes) at the edges of
    /// <see cref="Utf8Ops.AsciiBlockRows"/>-row blocks, read in order, backwards and from two columns in turn: every
    /// row reads as its decoding, and is marked ASCII exactly when its bytes are ASCII (a block's scan never marks a
    /// row beyond its first non-ASCII byte, nor one of another column).
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public void Read_MostlyAsciiRowsInBlocks_MarksExactlyTheAsciiRows(bool large)
    {
        const int Rows = 3 * Utf8Ops.AsciiBlockRows + 5;
        int block = Utf8Ops.AsciiBlockRows;
        var special = new Dictionary<int, byte[]>
        {
            [0] = Encoding.UTF8.GetBytes("🙂@gmail.com"),
            [block - 1] = Encoding.UTF8.GetBytes("ı.x@gmail.com"),
            [block] = [0x61, 0xC3],
            [block + 1] = Encoding.UTF8.GetBytes("ſ@example.org"),
            [2 * block - 1] = Encoding.UTF8.GetBytes("\u212A"),
            [2 * block + 7] = [0xFF],
            [Rows - 1] = Encoding.UTF8.GetBytes("x\u00E9"),
        };
        byte[][] Column(int shift) => Enumerable.Range(0, Rows)
            .Select(r => special.TryGetValue((r + shift) % Rows, out var bytes) ? bytes : Encoding.UTF8.GetBytes(r % 7 == 0 ? "" : $"A.b+{r}@gmail.com"))
            .ToArray();
        var columns = new[] { Column(0), Column(3) };
        var buffers = columns.Select(rows =>
        {
            var ends = new long[rows.Length + 1];
            for (int r = 0; r < rows.Length; r++) ends[r + 1] = ends[r] + rows[r].Length;
            return (Offsets: large ? NativeBuffers.Of<long>(ends) : NativeBuffers.Of<int>(ends.Select(e => (int)e).ToArray()),
                Data: NativeBuffers.Of<byte>(rows.SelectMany(r => r).ToArray()));
        }).ToArray();
        try
        {
            foreach (var (order, limit) in new[] { ("forward", Rows), ("forward, runs of 64 rows", 64), ("backward", Rows) })
            {
                var arena = Utf8Arena.Rent();
                var sequence = order.StartsWith("backward") ? Enumerable.Range(0, Rows).Reverse() : Enumerable.Range(0, Rows);
                foreach (int row in sequence)
                {
                    int end = limit == Rows ? Rows : Math.Min(Rows, (row / limit + 1) * limit);
                    for (int k = 0; k < columns.Length; k++)
                    {
                        arena.Reset();
                        var bytes = columns[k][row];
                        var text = Utf8Ops.Read(buffers[k].Offsets.Address, buffers[k].Data.Address, row, end, large, true, arena, k);
                        string where = $"{order}, column {k}, row {row}";
                        Assert.That(text.ToStringOrNull(), Is.EqualTo(Encoding.UTF8.GetString(bytes)), where);
                        Assert.That(text.IsAscii, Is.EqualTo(Ascii.IsValid(bytes)), where);
                        Assert.That(Utf8Ops.Length(text), Is.EqualTo(Encoding.UTF8.GetString(bytes).Length), where);
                    }
                }

                Utf8Arena.Return(arena);
            }
        }
        finally
        {
            foreach (var (offsets, data) in buffers)
            {
                offsets.Dispose();
                data.Dispose();
            }
        }
    }

    /// <summary>
    /// ASCII casing (eight bytes at a time below 64 bytes, vectorized from 64): every ASCII character at every position
    /// of texts of 0 to 80 bytes, marked ASCII or not, against the string methods; a text with nothing to change is its own result.
    /// </summary>
    [Test]
    public void ChangeCase_EveryAsciiCharacterAtEveryPosition_EqualsTheStringMethods()
    {
        var arena = Utf8Arena.Rent();
        for (int length = 0; length <= 80; length++)
        {
            for (int c = 0; c < 128; c++)
            {
                var chars = Enumerable.Range(0, length).Select(k => (char)((c + (k * 37)) % 128)).ToArray();
                foreach (var s in new[] { new string(chars), new string('x', length), new string('Q', length) })
                {
                    var pinned = Utf8Text.PinnedUtf8(s);
                    foreach (var text in new[] { Utf8Text.Of(pinned), Utf8Text.OfAscii(pinned) })
                    {
                        arena.Reset();
                        var lower = Utf8Ops.ToLowerInvariant(text, arena);
                        var upper = Utf8Ops.ToUpperInvariant(text, arena);
                        Assert.That(lower.ToStringOrNull(), Is.EqualTo(s.ToLowerInvariant()), s);
                        Assert.That(upper.ToStringOrNull(), Is.EqualTo(s.ToUpperInvariant()), s);
                        Assert.That(lower.IsAscii && upper.IsAscii, Is.True, s);
                        if (s == s.ToLowerInvariant()) Assert.That(lower.Address, Is.EqualTo(text.Address), s);
                    }
                }
            }
        }

        Utf8Arena.Return(arena);
    }
}
