from sdgxl.cli import main

raise SystemExit(main())
