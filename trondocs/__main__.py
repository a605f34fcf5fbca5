from trondocs.cli import main

main()
