namespace Dsl.TestSupport.Corpus;

public static partial class LoweringCorpus
{
    private static int s_capturedThreshold = 5;

    private static IEnumerable<CorpusEntry> Control()
    {
        yield return E("if else", "if-else", (Func<int, int, int>)((a, b) =>
        {
            int result;
            if (a > b)
                result = a - b;
            else if (a == b)
                result = 0;
            else
                result = b - a;
            return result;
        }));

        yield return E("early returns", "early-return", (Func<double, double?, double>)((x, cap) =>
        {
            if (double.IsNaN(x)) return -1;
            if (cap is null) return x;
            if (x > cap.Value) return cap.Value;
            return x;
        }));

        yield return E("chain of ifs", "if-else", (Func<int, int, int, int>)((a, b, c) =>
        {
            var score = 0;
            if (a > 0) score += 1;
            if (b > 0) score += 2;
            if (c > 0) score += 4;
            if (a > b) score *= 2;
            if (b > c) score -= 3;
            return score;
        }));

        yield return E("nested ternary", "ternary", (Func<double, string>)(x => x > 100 ? "high" : x > 10 ? "mid" : x >= 0 ? "low" : "negative"));
        yield return E("short circuit guards division", "ternary", (Func<int, int, bool>)((a, b) => b != 0 && a / b > 2));
        yield return E("or short circuit", "ternary", (Func<int?, bool>)(a => a == null || a.Value > 3));

        yield return E("switch on int", "switch-int", (Func<int, double>)(code =>
        {
            switch (code)
            {
                case 0: return 0.0;
                case 1:
                case 2: return 1.5;
                case 7: return 7.25;
                default: return -1.0;
            }
        }));

        yield return E("switch on enum", "switch-enum", (Func<Tier, double, double>)((tier, amount) =>
        {
            switch (tier)
            {
                case Tier.Gold: return amount * 0.8;
                case Tier.Silver: return amount * 0.9;
                case Tier.Platinum: return amount * 0.7;
                default: return amount;
            }
        }));

        yield return E("switch on string", "switch-string", (Func<string, int>)(country =>
        {
            switch (country)
            {
                case "US": return 1;
                case "CA": return 2;
                case "MX": return 3;
                case "": return -1;
                default: return 0;
            }
        }));

        // Many cases: Roslyn switches on its ComputeStringHash (lowered to StringSwitchHash.Compute), then compares.
        yield return E("switch on many strings", "switch-string", (Func<string, int>)(domain => domain switch
        {
            "gmail.com" or "googlemail.com" => 1,
            "yahoo.com" or "ymail.com" or "rocketmail.com" => 2,
            "hotmail.com" or "outlook.com" or "live.com" or "msn.com" => 3,
            "icloud.com" or "me.com" or "mac.com" => 4,
            "ß.de" or "🙂.io" => 5,
            _ => 0,
        }));

        yield return E("switch expression on int", "switch-expression", (Func<int, string>)(n => n switch
        {
            < 0 => "negative",
            0 => "zero",
            1 or 2 or 3 => "few",
            _ => "many",
        }));

        yield return E("switch expression on enum", "switch-expression", (Func<Tier, int>)(t => t switch
        {
            Tier.Bronze => 1,
            Tier.Silver => 2,
            Tier.Gold => 3,
            _ => 0,
        }));

        yield return E("switch expression on string", "switch-expression", (Func<string?, double>)(s => s switch
        {
            "a" => 1.0,
            "b" or "c" => 2.0,
            null => -1.0,
            _ => 0.0,
        }));

        yield return E("relational and pattern", "pattern", (Func<int, bool>)(x => x is > 0 and < 10));
        yield return E("or pattern", "pattern", (Func<double, bool>)(x => x is < -1.0 or > 1.0));
        yield return E("not pattern", "pattern", (Func<int?, bool>)(x => x is not null and not 0));
        yield return E("pattern on nullable double", "pattern", (Func<double?, int>)(x => x is >= 0.5 ? 1 : 0));

        yield return E("tuple deconstruction", "tuple", (Func<double, double, double>)((a, b) =>
        {
            var (low, high) = a < b ? (a, b) : (b, a);
            return high - low;
        }));

        yield return E("tuple swap", "tuple", (Func<int, int, int>)((a, b) =>
        {
            (a, b) = (b, a * 2);
            return a - b;
        }));

        yield return E("tuple result", "tuple", (Func<int, (int, bool)>)(x => (x * 2, x > 0)));

        yield return E("constant trip loop", "constant-loop", (Func<double, double>)(x =>
        {
            var power = 1.0;
            for (var i = 0; i < 4; i++) power *= x;
            return power;
        }));

        yield return E("constant loop with branch", "constant-loop", (Func<int, int>)(x =>
        {
            var count = 0;
            for (var bit = 0; bit < 8; bit++)
                if ((x & (1 << bit)) != 0) count++;
            return count;
        }));

        var factor = 3;
        yield return E("captured local", "closure", (Func<int, int>)(x => x * factor));
        yield return E("static field read", "closure", (Func<int, bool>)(x => x > s_capturedThreshold), "static-state");
        yield return E("local function", "closure", (Func<double, double>)(x =>
        {
            return Square(x) + Square(x + 1);
            static double Square(double v) => v * v;
        }));
        yield return E("try catch", "closure", (Func<int, int, int>)((a, b) =>
        {
            try
            {
                return a / b;
            }
            catch (DivideByZeroException)
            {
                return 0;
            }
        }), "try-catch");
    }
}
