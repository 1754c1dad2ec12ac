/* filled by its section; inlined into suit.i when done */
