using System.Buffers.Binary;
using System.Reflection;
using System.Reflection.Emit;

namespace Dsl.Lowering.Cil;

/// <summary>
/// Decodes a method body's IL bytes into <see cref="IlInstruction"/>s. Invariant: every byte of the body
/// belongs to exactly one instruction, in order; an unknown opcode or a truncated operand is reported as a
/// <see cref="LoweringFailure"/> (construct <c>malformed-il</c>), never as a crash.
/// </summary>
internal static class IlReader
{
    private static readonly OpCode[] OneByte = new OpCode[0x100];
    private static readonly OpCode[] TwoByte = new OpCode[0x100];
    private static readonly bool[] KnownOneByte = new bool[0x100];
    private static readonly bool[] KnownTwoByte = new bool[0x100];

    static IlReader()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is not OpCode code) continue;
            var value = (ushort)code.Value;
            if (code.Size == 1)
            {
                OneByte[value] = code;
                KnownOneByte[value] = true;
            }
            else
            {
                TwoByte[value & 0xff] = code;
                KnownTwoByte[value & 0xff] = true;
            }
        }
    }

    public static IReadOnlyList<IlInstruction> Read(MethodBase method, byte[] il)
    {
        var result = new List<IlInstruction>();
        var position = 0;
        while (position < il.Length)
        {
            var offset = position;
            OpCode code;
            var first = il[position++];
            if (first == 0xfe)
            {
                if (position >= il.Length || !KnownTwoByte[il[position]]) throw Malformed(method, offset);
                code = TwoByte[il[position++]];
            }
            else
            {
                if (!KnownOneByte[first]) throw Malformed(method, offset);
                code = OneByte[first];
            }

            var operand = ReadOperand(method, il, ref position, code, offset);
            result.Add(new IlInstruction(offset, code, operand, position));
        }

        return result;
    }

    private static object? ReadOperand(MethodBase method, byte[] il, ref int position, OpCode code, int offset)
    {
        var span = il.AsSpan();
        int Need(int count, ref int pos)
        {
            if (pos + count > il.Length) throw Malformed(method, offset);
            var start = pos;
            pos += count;
            return start;
        }

        switch (code.OperandType)
        {
            case OperandType.InlineNone:
                return null;
            case OperandType.ShortInlineBrTarget:
            {
                var at = Need(1, ref position);
                return position + (sbyte)il[at];
            }
            case OperandType.InlineBrTarget:
            {
                var at = Need(4, ref position);
                return position + BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
            }
            case OperandType.ShortInlineI:
            {
                var at = Need(1, ref position);
                return code == OpCodes.Ldc_I4_S ? (sbyte)il[at] : il[at];
            }
            case OperandType.ShortInlineVar:
                return (int)il[Need(1, ref position)];
            case OperandType.InlineVar:
                return (int)BinaryPrimitives.ReadUInt16LittleEndian(span[Need(2, ref position)..]);
            case OperandType.InlineI:
            case OperandType.InlineMethod:
            case OperandType.InlineField:
            case OperandType.InlineType:
            case OperandType.InlineTok:
            case OperandType.InlineString:
            case OperandType.InlineSig:
                return BinaryPrimitives.ReadInt32LittleEndian(span[Need(4, ref position)..]);
            case OperandType.InlineI8:
                return BinaryPrimitives.ReadInt64LittleEndian(span[Need(8, ref position)..]);
            case OperandType.ShortInlineR:
                return BinaryPrimitives.ReadSingleLittleEndian(span[Need(4, ref position)..]);
            case OperandType.InlineR:
                return BinaryPrimitives.ReadDoubleLittleEndian(span[Need(8, ref position)..]);
            case OperandType.InlineSwitch:
            {
                var count = BinaryPrimitives.ReadInt32LittleEndian(span[Need(4, ref position)..]);
                if (count < 0 || count > (il.Length - position) / 4) throw Malformed(method, offset);
                var relative = new int[count];
                for (var i = 0; i < count; i++) relative[i] = BinaryPrimitives.ReadInt32LittleEndian(span[Need(4, ref position)..]);
                var end = position;
                return Array.ConvertAll(relative, r => end + r);
            }
            default:
                throw Malformed(method, offset);
        }
    }

    private static LoweringFailure Malformed(MethodBase method, int offset) =>
        new("malformed-il", $"cannot decode the IL of {method.DeclaringType?.Name}.{method.Name}", method, offset);
}
