namespace Dsl.Fuzz;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("fuzz: long mode not implemented yet");
        return 2;
    }
}
