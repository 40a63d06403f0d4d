namespace Dsl.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("dsl: no commands yet");
        return 2;
    }
}
