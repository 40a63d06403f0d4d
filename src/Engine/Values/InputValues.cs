using System.Globalization;
using System.Text.Json;

namespace Dsl.Engine.Values;

/// <summary>
/// Converts a query's input value (a CLR value from C#, a JSON value from the server, text from the command line) to the
/// feature's type, exactly or not at all: 42.5 is not a long, 3000000000 is not an int, "x" is not a number.
/// </summary>
public static class InputValues
{
    /// <summary>The value as <paramref name="type"/> (the feature's CLR type), or a <see cref="QueryException"/> naming the feature.</summary>
    /// <exception cref="QueryException">The value cannot be the feature's type.</exception>
    public static object? Convert(object? value, Type type, string feature)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        try
        {
            var converted = value switch
            {
                null => null,
                JsonElement json => FromJson(json, target),
                string text when target != typeof(string) => FromText(text, target),
                _ when target.IsInstanceOfType(value) => value,
                IConvertible when IsNumber(value.GetType()) && IsNumber(target) => ExactNumber(value, target),
                _ => throw new FormatException($"a {value.GetType().Name} is not a {target.Name}"),
            };
            return converted;
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException or InvalidOperationException)
        {
            throw new QueryException($"The value for {feature} cannot be read as {TypeNames(target)}: {e.Message}");
        }
    }

    private static object? FromJson(JsonElement json, Type target) => json.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True or JsonValueKind.False when target == typeof(bool) => json.GetBoolean(),
        JsonValueKind.String when target == typeof(string) => json.GetString(),
        JsonValueKind.String => FromText(json.GetString()!, target),
        JsonValueKind.Number when IsNumber(target) => FromText(json.GetRawText(), target),
        _ => throw new FormatException($"a JSON {json.ValueKind.ToString().ToLowerInvariant()} is not a {target.Name}"),
    };

    private static object FromText(string text, Type target)
    {
        var invariant = CultureInfo.InvariantCulture;
        const NumberStyles integer = NumberStyles.AllowLeadingSign;
        const NumberStyles real = NumberStyles.Float;
        return target switch
        {
            _ when target == typeof(long) => long.Parse(text, integer, invariant),
            _ when target == typeof(int) => int.Parse(text, integer, invariant),
            _ when target == typeof(short) => short.Parse(text, integer, invariant),
            _ when target == typeof(sbyte) => sbyte.Parse(text, integer, invariant),
            _ when target == typeof(ulong) => ulong.Parse(text, integer, invariant),
            _ when target == typeof(uint) => uint.Parse(text, integer, invariant),
            _ when target == typeof(ushort) => ushort.Parse(text, integer, invariant),
            _ when target == typeof(byte) => byte.Parse(text, integer, invariant),
            _ when target == typeof(double) => double.Parse(text, real, invariant),
            _ when target == typeof(float) => float.Parse(text, real, invariant),
            _ when target == typeof(decimal) => decimal.Parse(text, real, invariant),
            _ when target == typeof(bool) => bool.Parse(text),
            _ when target == typeof(DateTime) => DateTime.Parse(text, invariant, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            _ when target == typeof(DateOnly) => DateOnly.Parse(text, invariant),
            _ => throw new FormatException($"{target.Name} values cannot be given as text"),
        };
    }

    private static object ExactNumber(object value, Type target)
    {
        var asText = ((IConvertible)value).ToString(CultureInfo.InvariantCulture);
        return FromText(value is double or float ? ((IFormattable)value).ToString("R", CultureInfo.InvariantCulture) : asText, target);
    }

    private static bool IsNumber(Type type) =>
        type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(sbyte) || type == typeof(ulong) || type == typeof(uint)
        || type == typeof(ushort) || type == typeof(byte) || type == typeof(double) || type == typeof(float) || type == typeof(decimal);

    private static string TypeNames(Type type) => Dsl.TypeNames.CSharpName(type);
}
