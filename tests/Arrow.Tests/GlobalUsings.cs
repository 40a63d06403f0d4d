global using Apache.Arrow;
global using Apache.Arrow.Types;
global using NUnit.Framework;
