using System.Globalization;
using System.Linq.Expressions;
using NUnit.Framework;

namespace Dsl.Lowering.Tests.Intrinsics;

internal sealed partial class IntrinsicTableTests
{
    private static TestCaseData Case<TDelegate>(string name, Expression<TDelegate> lambda) =>
        new TestCaseData(name, (LambdaExpression)lambda).SetArgDisplayNames(name);

    private static TestCaseData Refused<TDelegate>(string name, string construct, Expression<TDelegate> lambda) =>
        new TestCaseData(name, (LambdaExpression)lambda, construct).SetArgDisplayNames(name);

    private static IEnumerable<TestCaseData> LoweredCases()
    {
        // Math and MathF: overflow on MinValue, NaN/±0 in Max/Min, midpoint rounding, ArithmeticException from Sign(NaN).
        yield return Case<Func<int, int>>("Math.Abs(int)", x => Math.Abs(x));
        yield return Case<Func<long, long>>("Math.Abs(long)", x => Math.Abs(x));
        yield return Case<Func<double, double>>("Math.Abs(double)", x => Math.Abs(x));
        yield return Case<Func<double, double, double>>("Math.Max(double)", (x, y) => Math.Max(x, y));
        yield return Case<Func<double, double, double>>("Math.Min(double)", (x, y) => Math.Min(x, y));
        yield return Case<Func<float, float, float>>("MathF.Max", (x, y) => MathF.Max(x, y));
        yield return Case<Func<int, int, int>>("Math.Max(int)", (x, y) => Math.Max(x, y));
        yield return Case<Func<double, double>>("Math.Max(NaN, x) that cannot throw", x => Math.Max(double.NaN, x));
        yield return Case<Func<double[], int, double>>("Math.Max(i / 2.0, a[i])", (a, i) => Math.Max(i / 2.0, a[i]));
        yield return Case<Func<double[], int, double>>("Math.Max(3.0, a[i])", (a, i) => Math.Max(3.0, a[i]));
        yield return Case<Func<double[], int, double>>("Math.Min(i > 0 ? NaN : 1.0, a[i])", (a, i) => Math.Min(i > 0 ? double.NaN : 1.0, a[i]));
        yield return Case<Func<double[], int, double>>("double.MaxNumber(NaN, a[i])", (a, i) => double.MaxNumber(double.NaN, a[i]));
        yield return Case<Func<double, double>>("Math.Round", x => Math.Round(x));
        yield return Case<Func<double, int, double>>("Math.Round(digits)", (x, d) => Math.Round(x, d));
        yield return Case<Func<double, double>>("Math.Round(AwayFromZero)", x => Math.Round(x, MidpointRounding.AwayFromZero));
        yield return Case<Func<decimal, decimal>>("Math.Round(decimal)", x => Math.Round(x));
        yield return Case<Func<double, double>>("Math.Floor", x => Math.Floor(x));
        yield return Case<Func<double, double>>("Math.Ceiling", x => Math.Ceiling(x));
        yield return Case<Func<double, double>>("Math.Truncate", x => Math.Truncate(x));
        yield return Case<Func<double, double>>("Math.Sqrt", x => Math.Sqrt(x));
        yield return Case<Func<double, double, double>>("Math.Pow", (x, y) => Math.Pow(x, y));
        yield return Case<Func<double, double>>("Math.Exp", x => Math.Exp(x));
        yield return Case<Func<double, double>>("Math.Log", x => Math.Log(x));
        yield return Case<Func<double, double, double>>("Math.Log(base)", (x, b) => Math.Log(x, b));
        yield return Case<Func<double, double>>("Math.Log10", x => Math.Log10(x));
        yield return Case<Func<double, double>>("Math.Log2", x => Math.Log2(x));
        yield return Case<Func<double, double>>("Math.Sin", x => Math.Sin(x));
        yield return Case<Func<double, double>>("Math.Cos", x => Math.Cos(x));
        yield return Case<Func<double, double>>("Math.Tan", x => Math.Tan(x));
        yield return Case<Func<double, double, double>>("Math.Atan2", (y, x) => Math.Atan2(y, x));
        yield return Case<Func<double, int>>("Math.Sign(double)", x => Math.Sign(x));
        yield return Case<Func<int, int>>("Math.Sign(int)", x => Math.Sign(x));
        yield return Case<Func<double, double, double, double>>("Math.Clamp(double)", (x, lo, hi) => Math.Clamp(x, lo, hi));
        yield return Case<Func<int, int, int, int>>("Math.Clamp(int)", (x, lo, hi) => Math.Clamp(x, lo, hi));
        yield return Case<Func<float, float>>("MathF.Sqrt", x => MathF.Sqrt(x));

        // IEEE helpers.
        yield return Case<Func<double, bool>>("double.IsNaN", x => double.IsNaN(x));
        yield return Case<Func<float, bool>>("float.IsNaN", x => float.IsNaN(x));
        yield return Case<Func<double, bool>>("double.IsInfinity", x => double.IsInfinity(x));
        yield return Case<Func<double, bool>>("double.IsFinite", x => double.IsFinite(x));
        yield return Case<Func<double, bool>>("double.IsPositiveInfinity", x => double.IsPositiveInfinity(x));
        yield return Case<Func<double, bool>>("double.IsNegativeInfinity", x => double.IsNegativeInfinity(x));
        yield return Case<Func<double, bool>>("double.IsNegative", x => double.IsNegative(x));
        yield return Case<Func<double, double, int>>("double.CompareTo", (x, y) => x.CompareTo(y));
        yield return Case<Func<char, bool>>("char.IsDigit", c => char.IsDigit(c));
        yield return Case<Func<char, char>>("char.ToUpperInvariant", c => char.ToUpperInvariant(c));
        yield return Case<Func<decimal, decimal, decimal>>("decimal.op_Division", (x, y) => x / y);
        yield return Case<Func<decimal, int>>("decimal.op_Explicit(int)", x => (int)x);

        // Convert: rounding to even, OverflowException.
        yield return Case<Func<double, int>>("Convert.ToInt32(double)", x => Convert.ToInt32(x));
        yield return Case<Func<double, long>>("Convert.ToInt64(double)", x => Convert.ToInt64(x));
        yield return Case<Func<float, int>>("Convert.ToInt32(float)", x => Convert.ToInt32(x));
        yield return Case<Func<long, int>>("Convert.ToInt32(long)", x => Convert.ToInt32(x));
        yield return Case<Func<int, byte>>("Convert.ToByte(int)", x => Convert.ToByte(x));
        yield return Case<Func<double, bool>>("Convert.ToBoolean(double)", x => Convert.ToBoolean(x));
        yield return Case<Func<string, int>>("Convert.ToInt32(string, invariant)", s => Convert.ToInt32(s, CultureInfo.InvariantCulture));
        yield return Case<Func<double, string>>("double.ToString(invariant)", x => x.ToString(CultureInfo.InvariantCulture));

        // Strings: null instance → NullReferenceException, ranges → ArgumentOutOfRangeException, ordinal semantics.
        yield return Case<Func<string, int>>("string.Length", s => s.Length);
        yield return Case<Func<string, int, char>>("string[i]", (s, i) => s[i]);
        yield return Case<Func<string, string, bool>>("string ==", (a, b) => a == b);
        yield return Case<Func<string, string, bool>>("string !=", (a, b) => a != b);
        yield return Case<Func<string, string, bool>>("string.Equals(a, b)", (a, b) => string.Equals(a, b));
        yield return Case<Func<string, string, bool>>("a.Equals(b)", (a, b) => a.Equals(b));
        yield return Case<Func<string, string, bool>>("Equals(OrdinalIgnoreCase)", (a, b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase));
        yield return Case<Func<string, string, string>>("string +", (a, b) => a + b);
        yield return Case<Func<string, string, string, string>>("string.Concat(3)", (a, b, c) => string.Concat(a, b, c));
        yield return Case<Func<string, string, bool>>("Contains(string)", (a, b) => a.Contains(b));
        yield return Case<Func<string, char, bool>>("Contains(char)", (a, c) => a.Contains(c));
        yield return Case<Func<string, string, bool>>("StartsWith(Ordinal)", (a, b) => a.StartsWith(b, StringComparison.Ordinal));
        yield return Case<Func<string, string, bool>>("EndsWith(Ordinal)", (a, b) => a.EndsWith(b, StringComparison.Ordinal));
        yield return Case<Func<string, string, bool>>("StartsWith(OrdinalIgnoreCase)", (a, b) => a.StartsWith(b, StringComparison.OrdinalIgnoreCase));
        yield return Case<Func<string, char, bool>>("StartsWith(char)", (a, c) => a.StartsWith(c));
        yield return Case<Func<string, char, int>>("IndexOf(char)", (a, c) => a.IndexOf(c));
        yield return Case<Func<string, string, int>>("IndexOf(Ordinal)", (a, b) => a.IndexOf(b, StringComparison.Ordinal));
        yield return Case<Func<string, string, int>>("LastIndexOf(Ordinal)", (a, b) => a.LastIndexOf(b, StringComparison.Ordinal));
        yield return Case<Func<string, string, string, string>>("Replace(string)", (a, b, c) => a.Replace(b, c));
        yield return Case<Func<string, char, char, string>>("Replace(char)", (a, b, c) => a.Replace(b, c));
        yield return Case<Func<string, int, string>>("Substring(start)", (s, i) => s.Substring(i));
        yield return Case<Func<string, int, int, string>>("Substring(start, length)", (s, i, n) => s.Substring(i, n));
        yield return Case<Func<string, string>>("Trim", s => s.Trim());
        yield return Case<Func<string, string>>("TrimStart", s => s.TrimStart());
        yield return Case<Func<string, char, string>>("TrimEnd(char)", (s, c) => s.TrimEnd(c));
        yield return Case<Func<string, string>>("ToLowerInvariant", s => s.ToLowerInvariant());
        yield return Case<Func<string, string>>("ToUpperInvariant", s => s.ToUpperInvariant());
        yield return Case<Func<string, string>>("ToUpper(invariant)", s => s.ToUpper(CultureInfo.InvariantCulture));
        yield return Case<Func<string, bool>>("IsNullOrEmpty", s => string.IsNullOrEmpty(s));
        yield return Case<Func<string, bool>>("IsNullOrWhiteSpace", s => string.IsNullOrWhiteSpace(s));
        yield return Case<Func<string, int, string>>("Split(char)[i]", (s, i) => s.Split(',', StringSplitOptions.None)[i]);
        yield return Case<Func<string, int, string>>("Split(string, RemoveEmpty)[i]", (s, i) => s.Split(",", StringSplitOptions.RemoveEmptyEntries)[i]);
        yield return Case<Func<string, int>>("Split(char).Length", s => s.Split(';', StringSplitOptions.TrimEntries).Length);
        yield return Case<Func<string, string, int>>("CompareOrdinal", (a, b) => string.CompareOrdinal(a, b));
        yield return Case<Func<string, string, int>>("Compare(Ordinal)", (a, b) => string.Compare(a, b, StringComparison.Ordinal));
        yield return Case<Func<string, string>>("PadLeft", s => s.PadLeft(8)); // a generated width of int.MaxValue would allocate gigabytes

        // DateTime / TimeSpan / DateOnly: range errors and AddDays rounding are the BCL's own.
        yield return Case<Func<DateTime, TimeSpan, DateTime>>("DateTime + TimeSpan", (t, d) => t + d);
        yield return Case<Func<DateTime, TimeSpan, DateTime>>("DateTime - TimeSpan", (t, d) => t - d);
        yield return Case<Func<DateTime, DateTime, TimeSpan>>("DateTime - DateTime", (a, b) => a - b);
        yield return Case<Func<DateTime, DateTime, bool>>("DateTime <", (a, b) => a < b);
        yield return Case<Func<DateTime, DateTime, bool>>("DateTime ==", (a, b) => a == b);
        yield return Case<Func<DateTime, double, DateTime>>("AddDays", (t, n) => t.AddDays(n));
        yield return Case<Func<DateTime, double, DateTime>>("AddHours", (t, n) => t.AddHours(n));
        yield return Case<Func<DateTime, double, DateTime>>("AddMinutes", (t, n) => t.AddMinutes(n));
        yield return Case<Func<DateTime, double, DateTime>>("AddSeconds", (t, n) => t.AddSeconds(n));
        yield return Case<Func<DateTime, double, DateTime>>("AddMilliseconds", (t, n) => t.AddMilliseconds(n));
        yield return Case<Func<DateTime, long, DateTime>>("AddTicks", (t, n) => t.AddTicks(n));
        yield return Case<Func<DateTime, int, DateTime>>("AddMonths", (t, n) => t.AddMonths(n));
        yield return Case<Func<DateTime, int>>("Year", t => t.Year);
        yield return Case<Func<DateTime, int>>("Month", t => t.Month);
        yield return Case<Func<DateTime, int>>("Day", t => t.Day);
        yield return Case<Func<DateTime, int>>("Hour", t => t.Hour);
        yield return Case<Func<DateTime, DayOfWeek>>("DayOfWeek", t => t.DayOfWeek);
        yield return Case<Func<DateTime, DateTime>>("Date", t => t.Date);
        yield return Case<Func<DateTime, long>>("Ticks", t => t.Ticks);
        yield return Case<Func<int, int, int, DateTime>>("new DateTime(y, m, d)", (y, m, d) => new DateTime(y, m, d));
        yield return Case<Func<int, int, int>>("DateTime.DaysInMonth", (y, m) => DateTime.DaysInMonth(y, m));
        yield return Case<Func<TimeSpan, double>>("TotalDays", d => d.TotalDays);
        yield return Case<Func<TimeSpan, double>>("TotalHours", d => d.TotalHours);
        yield return Case<Func<TimeSpan, int>>("TimeSpan.Days", d => d.Days);
        yield return Case<Func<TimeSpan, TimeSpan, TimeSpan>>("TimeSpan +", (a, b) => a + b);
        yield return Case<Func<TimeSpan, TimeSpan>>("TimeSpan unary -", a => -a);
        yield return Case<Func<TimeSpan, TimeSpan>>("TimeSpan.Duration", a => a.Duration());
        yield return Case<Func<TimeSpan, double, TimeSpan>>("TimeSpan * double", (a, f) => a * f);
        yield return Case<Func<double, TimeSpan>>("TimeSpan.FromDays", n => TimeSpan.FromDays(n));
        yield return Case<Func<DateOnly, int, DateOnly>>("DateOnly.AddDays", (d, n) => d.AddDays(n));
        yield return Case<Func<DateOnly, int>>("DateOnly.DayNumber", d => d.DayNumber);

        // Tuples.
        yield return Case<Func<int, double, (int, double)>>("ValueTuple ctor", (a, b) => new ValueTuple<int, double>(a, b));

        // LINQ aggregates over arrays: empty throws, int sums are checked (vectorized lanes on long arrays), NaN rules.
        yield return Case<Func<double[], double>>("Sum(double[])", xs => xs.Sum());
        yield return Case<Func<int[], int>>("Sum(int[])", xs => xs.Sum());
        yield return Case<Func<long[], long>>("Sum(long[])", xs => xs.Sum());
        yield return Case<Func<float[], float>>("Sum(float[])", xs => xs.Sum());
        yield return Case<Func<int[], int>>("Where.Sum(int)", xs => xs.Where(x => x != 0).Sum());
        yield return Case<Func<double[], double>>("Where.Sum(double)", xs => xs.Where(x => x > 0).Sum());
        yield return Case<Func<double[], double>>("Select.Sum", xs => xs.Select(x => x * 2).Sum());
        yield return Case<Func<int[], long>>("Sum(selector)", xs => xs.Sum(x => (long)x));
        yield return Case<Func<double[], int>>("Count", xs => xs.Count());
        yield return Case<Func<double[], int>>("Count(pred)", xs => xs.Count(x => x < 1));
        yield return Case<Func<double[], double>>("Min(double)", xs => xs.Min());
        yield return Case<Func<double[], double>>("Max(double)", xs => xs.Max());
        yield return Case<Func<float[], float>>("Max(float)", xs => xs.Max());
        yield return Case<Func<int[], int>>("Min(int)", xs => xs.Min());
        yield return Case<Func<long[], long>>("Max(long)", xs => xs.Max());
        yield return Case<Func<double[], double>>("Where.Min", xs => xs.Where(x => x != 1).Min());
        yield return Case<Func<double[], double>>("Where.Max", xs => xs.Where(x => x != 1).Max());
        yield return Case<Func<double[], double>>("Average(double)", xs => xs.Average());
        yield return Case<Func<double[], double>>("Where.Average(double)", xs => xs.Where(x => x != 2).Average());
        yield return Case<Func<int[], double>>("Average(int)", xs => xs.Average());
        yield return Case<Func<long[], double>>("Average(long)", xs => xs.Average());
        yield return Case<Func<float[], float>>("Select.Average(float)", xs => xs.Select(x => x).Average());
        yield return Case<Func<float[], float>>("Average(float)", xs => xs.Average());
        yield return Case<Func<int[], double>>("Where.Average(int)", xs => xs.Where(x => x != 1).Average());
        yield return Case<Func<float[], float>>("Where.Sum(float)", xs => xs.Where(x => x != 1).Sum());
        yield return Case<Func<float[], float>>("Min(float)", xs => xs.Min());
        yield return Case<Func<double[], int>>("Max(selector int)", xs => xs.Max(x => (int)x));
        yield return Case<Func<long[], long>>("Where.Sum(long)", xs => xs.Where(x => x > -5).Sum());
        yield return Case<Func<double[], bool>>("Any", xs => xs.Any());
        yield return Case<Func<double[], bool>>("Any(pred)", xs => xs.Any(x => double.IsNaN(x)));
        yield return Case<Func<double[], bool>>("All(pred)", xs => xs.All(x => x >= 0));
        yield return Case<Func<double[], bool>>("Where.All", xs => xs.Where(x => x > 1).All(x => x > 2));
        yield return Case<Func<double[], double>>("First", xs => xs.First());
        yield return Case<Func<double[], double>>("First(pred)", xs => xs.First(x => x > 0));
        yield return Case<Func<double[], double>>("FirstOrDefault(pred)", xs => xs.FirstOrDefault(x => x < 0));
        yield return Case<Func<int[], int>>("Select.Where.FirstOrDefault", xs => xs.Select(x => x * 3).Where(x => x > 10).FirstOrDefault());
        yield return Case<Func<double[], double, bool>>("span Contains(double)", (xs, v) => xs.Contains(v));
        yield return Case<Func<string[], string, bool>>("span Contains(string)", (xs, v) => xs.Contains(v));
        yield return Case<Func<double[], double, bool>>("Enumerable.Contains(double)", (xs, v) => Enumerable.Contains(xs, v));
        yield return Case<Func<int[], int, bool>>("Where.Contains(int)", (xs, v) => xs.Where(x => x > 0).Contains(v));
        yield return Case<Func<long[], long>>("Aggregate(seed)", xs => xs.Aggregate(1L, (acc, x) => acc * 31 + x));
        yield return Case<Func<string[], int>>("Count(strings)", xs => xs.Count(s => s != null && s.Length > 1));
    }

    private static IEnumerable<TestCaseData> RefusedCases()
    {
        yield return Refused<Func<string, string>>("ToLower()", "culture", s => s.ToLower());
        yield return Refused<Func<string, string>>("ToUpper()", "culture", s => s.ToUpper());
        yield return Refused<Func<string, string, bool>>("StartsWith(string)", "culture", (a, b) => a.StartsWith(b));
        yield return Refused<Func<string, string, bool>>("EndsWith(string)", "culture", (a, b) => a.EndsWith(b));
        yield return Refused<Func<string, string, int>>("IndexOf(string)", "culture", (a, b) => a.IndexOf(b));
        yield return Refused<Func<string, string, int>>("string.Compare", "culture", (a, b) => string.Compare(a, b));
        yield return Refused<Func<string, string, int>>("CompareTo", "culture", (a, b) => a.CompareTo(b));
        yield return Refused<Func<string, string, bool>>("StartsWith(CurrentCulture)", "culture", (a, b) => a.StartsWith(b, StringComparison.CurrentCulture));
        yield return Refused<Func<int, string>>("int.ToString()", "culture", x => x.ToString());
        yield return Refused<Func<double, string>>("double.ToString(format)", "culture", x => x.ToString("F2"));
        yield return Refused<Func<string, double>>("double.Parse", "culture", s => double.Parse(s));
        yield return Refused<Func<string, int>>("Convert.ToInt32(string)", "culture", s => Convert.ToInt32(s));
        yield return Refused<Func<char, char>>("char.ToUpper", "culture", c => char.ToUpper(c));
        yield return Refused<Func<DateTime, string>>("DateTime.ToShortDateString", "culture", t => t.ToShortDateString());
        yield return Refused<Func<string, int, string>>("string.Format", "culture", (f, x) => string.Format(f, x));
        yield return Refused<Func<string, int, string>>("string + int via object", "culture", (s, x) => string.Concat(s, (object)x));
        yield return Refused<Func<int[], string>>("string.Join<int>", "culture", xs => string.Join(",", xs));
        yield return Refused<Func<DateTime>>("DateTime.Now", "non-deterministic", () => DateTime.Now);
        yield return Refused<Func<double, bool>>("double.IsNegative(computed)", "nan-sign", x => double.IsNegative(-(x / x)));
        yield return Refused<Func<double, double, double>>("Math.CopySign(x, computed)", "nan-sign", (x, y) => Math.CopySign(x, 0.0 - y));
        yield return Refused<Func<float, int>>("BitConverter.SingleToInt32Bits(computed)", "nan-sign", x => BitConverter.SingleToInt32Bits(x * 2f));
        yield return Refused<Func<double[], int, double>>("Math.Max(NaN, a[i])", "jit-nan-minmax", (a, i) => Math.Max(double.NaN, a[i]));
        yield return Refused<Func<float[], int, float>>("MathF.MinMagnitude(a[i], NaN)", "jit-nan-minmax", (a, i) => MathF.MinMagnitude(a[i], float.NaN));
        yield return Refused<Func<int, int, double>>("Math.Min(x / y, NaN)", "jit-nan-minmax", (x, y) => Math.Min(x / y, double.NaN));
        yield return Refused<Func<double[], int, double>>("Math.Max(NaN / i, a[i])", "jit-nan-minmax", (a, i) => Math.Max(double.NaN / i, a[i]));
        yield return Refused<Func<double[], int, double>>("Math.Max(a[i], ∞ − ∞)", "jit-nan-minmax", (a, i) => Math.Max(a[i], double.PositiveInfinity - double.PositiveInfinity));
        yield return Refused<Func<double[], int, double>>("Math.Max(Math.Max(NaN, i), a[i])", "jit-nan-minmax", (a, i) => Math.Max(Math.Max(double.NaN, i), a[i]));
        yield return Refused<Func<double[], int, float, double>>("Math.Max((double)(f * float.NaN), a[i])", "jit-nan-minmax", (a, i, f) => Math.Max((double)(f * float.NaN), a[i]));
        yield return Refused<Func<DateTime>>("DateTime.UtcNow", "non-deterministic", () => DateTime.UtcNow);
        yield return Refused<Func<DateTime>>("DateTime.Today", "non-deterministic", () => DateTime.Today);
        yield return Refused<Func<int>>("Random.Shared.Next", "non-deterministic", () => Random.Shared.Next());
        yield return Refused<Func<Guid>>("Guid.NewGuid", "non-deterministic", () => Guid.NewGuid());
        yield return Refused<Func<int>>("Environment.ProcessorCount", "non-deterministic", () => Environment.ProcessorCount);
        yield return Refused<Func<string, int>>("string.GetHashCode", "non-deterministic", s => s.GetHashCode());
        yield return Refused<Func<DateTime, DateTime>>("ToLocalTime", "timezone", t => t.ToLocalTime());
        yield return Refused<Func<string, bool>>("File.Exists", "io", s => File.Exists(s));
        yield return Refused<Func<string, string?>>("Console.ReadLine", "io", s => Console.ReadLine());
        yield return Refused<Func<double, double>>("Math.ReciprocalEstimate", "platform-dependent", x => Math.ReciprocalEstimate(x));
    }
}
