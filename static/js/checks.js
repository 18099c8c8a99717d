/* Knowledge checks and shuffled options (practice). Loaded after module.js; progress goes
   through window.TPMProgress. */
